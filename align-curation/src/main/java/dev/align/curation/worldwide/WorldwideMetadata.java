package dev.align.curation.worldwide;

import dev.align.core.Checks;
import dev.align.curation.metaclip.Metadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Per-language metadata lists, as MetaCLIP 2 keeps one per language: a folder with one list per
 * language, {@code <lang>.txt} (one entry per line) or {@code <lang>.json} (a JSON array), read by
 * {@link Metadata#read}. Entry ids are per language (line numbers of that language's list).
 *
 * <p>{@link #fromCaptions} builds them from a corpus: the captions of each language (as
 * {@link ScriptLanguageId} decides it) are segmented ({@link WordSegmenter}) and their unigrams and
 * bigrams counted as {@link Metadata#fromCaptions} does, so that a Japanese or Thai list holds words
 * rather than whole space-free captions.
 */
public final class WorldwideMetadata {

    private static final Pattern FILE = Pattern.compile("([a-z]{2,3}(?:-[a-z0-9]{2,8})?)\\.(txt|json)");

    private WorldwideMetadata() {}

    /**
     * Reads every {@code <lang>.txt} or {@code <lang>.json} of a folder.
     *
     * @param folder the metadata folder
     * @return entries per language code, sorted by code
     * @throws IllegalArgumentException if the folder is missing, holds no list, holds two lists of
     *     one language, or a list is malformed (the message names the file)
     * @throws IOException if a file cannot be read
     */
    public static Map<String, List<String>> read(Path folder) throws IOException {
        Checks.checkArgument(Files.isDirectory(folder), "metadata folder %s does not exist: "
                + "metaclip2 takes a folder of per-language lists (en.txt, de.txt, ja.txt, ...); "
                + "'./align curate metadata --by-language' writes one", folder);
        Map<String, List<String>> out = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.sorted().toList();
        }
        for (Path f : files) {
            var m = FILE.matcher(f.getFileName().toString());
            if (!m.matches() || !Files.isRegularFile(f)) {
                continue;
            }
            Checks.checkArgument(out.put(m.group(1), Metadata.read(f)) == null,
                    "metadata folder %s has two lists for language '%s'", folder, m.group(1));
        }
        Checks.checkArgument(!out.isEmpty(), "metadata folder %s has no <lang>.txt or <lang>.json "
                + "list", folder);
        return out;
    }

    /**
     * Writes one list per language, {@code <lang>.txt}, into a folder.
     *
     * @param metadata entries per language
     * @param folder created if missing
     * @throws IOException if a file cannot be written
     */
    public static void write(Map<String, List<String>> metadata, Path folder) throws IOException {
        Files.createDirectories(folder);
        for (Map.Entry<String, List<String>> e : metadata.entrySet()) {
            Checks.checkArgument(FILE.matcher(e.getKey() + ".txt").matches(),
                    "'%s' is no language code", e.getKey());
            Metadata.write(e.getValue(), folder.resolve(e.getKey() + ".txt"));
        }
    }

    /**
     * Builds per-language lists from the unigrams and bigrams of a corpus.
     *
     * @param captions the captions
     * @param recorded the recorded language of each caption (null entries allowed)
     * @param languages the languages a caption may be identified as (see {@link ScriptLanguageId});
     *     captions identified as none of them are left out
     * @param minUnigramCount a word becomes an entry when seen at least this often in its language
     * @param minBigramCount likewise for a bigram
     * @return entries per language (languages without an entry are left out), sorted by code
     */
    public static Map<String, List<String>> fromCaptions(List<String> captions,
            List<String> recorded, java.util.Set<String> languages, long minUnigramCount,
            long minBigramCount) {
        Checks.checkArgument(captions.size() == recorded.size(), "%s captions but %s languages",
                captions.size(), recorded.size());
        ScriptLanguageId lid = new ScriptLanguageId(languages);
        Map<String, List<String>> byLanguage = new TreeMap<>();
        for (int i = 0; i < captions.size(); i++) {
            LanguageGuess g = lid.identify(captions.get(i), recorded.get(i));
            if (g.language() != null && languages.contains(g.language())) {
                byLanguage.computeIfAbsent(g.language(), k -> new ArrayList<>())
                        .add(WordSegmenter.segment(captions.get(i)));
            }
        }
        Map<String, List<String>> out = new TreeMap<>();
        byLanguage.forEach((lang, texts) -> {
            List<String> entries = Metadata.fromCaptions(texts, minUnigramCount, minBigramCount);
            if (!entries.isEmpty()) {
                out.put(lang, entries);
            }
        });
        return out;
    }
}
