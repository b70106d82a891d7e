package dev.align.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The download cache of the real data sets: {@code $ALIGN_CACHE/KIND}, by default
 * {@code ~/.cache/align/KIND}, filled by {@code tools/fetch/fetch KIND}. When a set is missing
 * the fetch script is run (found through the system property {@code align.root}, which
 * {@code ./align} sets, or above this code's location), its messages going to stderr.
 */
final class DataCache {

    private DataCache() {}

    /** The cache folder of {@code kind}; not necessarily filled. */
    static Path folder(String kind) {
        String env = System.getenv("ALIGN_CACHE");
        Path root = env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "align");
        return root.resolve(kind.equals(EMOJI_LANGUAGES) || kind.equals(EMOJI_STYLES) ? "emoji"
                : kind);
    }

    /** The emoji captions' other languages: fetched into the emoji cache, with their own marker. */
    static final String EMOJI_LANGUAGES = "emoji-languages";

    /** Apple's and Facebook's emoji: fetched into the emoji cache, with their own marker. */
    static final String EMOJI_STYLES = "emoji-styles";

    private static String marker(String kind) {
        return kind.equals(EMOJI_LANGUAGES) ? ".languages-complete"
                : kind.equals(EMOJI_STYLES) ? ".styles-complete" : ".complete";
    }

    /**
     * The filled cache folder of {@code kind}, running the fetch script first if needed.
     *
     * @param fetch whether a missing set may be downloaded
     * @throws IllegalArgumentException if the set is missing and cannot or may not be fetched
     *     (the message says which command fetches it)
     * @throws IOException if the fetch script fails
     */
    static Path ensure(String kind, boolean fetch) throws IOException {
        Path folder = folder(kind);
        if (Files.isRegularFile(folder.resolve(marker(kind)))) {
            return folder;
        }
        String how = "run 'tools/fetch/fetch " + kind + "' from the align repository (it fills "
                + folder.getParent() + "), or pass --source DIR";
        if (!fetch) {
            throw new IllegalArgumentException("no " + kind + " data in " + folder + ": " + how);
        }
        Path script = script();
        if (script == null) {
            throw new IllegalArgumentException("no " + kind + " data in " + folder
                    + " and tools/fetch/fetch was not found: " + how);
        }
        System.err.println("align: fetching " + kind + " into " + folder + " with " + script);
        Process p = new ProcessBuilder(script.toString(), kind).redirectErrorStream(true).start();
        try (InputStream out = p.getInputStream()) {
            out.transferTo(System.err);
        }
        int status;
        try {
            status = p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + kind, e);
        }
        if (status != 0 || !Files.isRegularFile(folder.resolve(marker(kind)))) {
            throw new IOException(script + " " + kind + " failed (exit status " + status
                    + "); see its messages above");
        }
        return folder;
    }

    /** {@code tools/fetch/fetch} under {@code align.root}, or above this class's location. */
    private static Path script() {
        String root = System.getProperty("align.root");
        if (root != null) {
            Path s = Path.of(root, "tools", "fetch", "fetch");
            return Files.isExecutable(s) ? s : null;
        }
        try {
            Path here = Path.of(DataCache.class.getProtectionDomain().getCodeSource()
                    .getLocation().toURI());
            for (Path p = here; p != null; p = p.getParent()) {
                Path s = p.resolve("tools").resolve("fetch").resolve("fetch");
                if (Files.isExecutable(s)) {
                    return s;
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no usable code location: fall through
        }
        return null;
    }
}
