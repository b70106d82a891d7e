package dev.align.experiments.pool;

import dev.align.core.io.AtomicFiles;
import dev.align.core.json.Json;
import dev.align.data.shards.ShardWriter;
import dev.align.experiments.internal.JsonLines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a built pool and its clean set as WebDataset shards. The pool folder gets
 * {@code shards/{00000..}.tar} in key order (so in the injector's seeded random order), each
 * sample's {@code .json} naming only its source (the truth stays out of what curation reads),
 * {@value #MANIFEST}, and last {@value #SUMMARY}.
 */
public final class PoolFiles {

    /** The manifest, one {@link ManifestEntry} per line, in key order. */
    public static final String MANIFEST = "manifest.jsonl";
    /** The pool's {@link PoolSummary}, written last. */
    public static final String SUMMARY = "pool.json";
    /** The folder of shards inside a pool or clean-set folder. */
    public static final String SHARDS = "shards";

    private PoolFiles() {}

    /**
     * Writes the pool's shards, manifest and summary.
     *
     * @return the shards as a brace pattern
     */
    public static String writePool(NoiseInjector.Result pool, Path dir, int shardSize)
            throws IOException {
        Files.createDirectories(dir);
        String pattern;
        try (ShardWriter w = new ShardWriter(dir.resolve(SHARDS), shardSize)) {
            for (int i = 0; i < pool.manifest().size(); i++) {
                ManifestEntry e = pool.manifest().get(i);
                w.write(e.key(), "png", pool.images().get(i), e.caption(),
                        JsonLines.line(Map.of("source", e.source())));
            }
            w.close();
            pattern = pattern(dir.resolve(SHARDS), w.shards().size());
        }
        JsonLines.write(dir.resolve(MANIFEST), pool.manifest());
        AtomicFiles.write(dir.resolve(SUMMARY), Json.write(pool.summary())
                .getBytes(StandardCharsets.UTF_8));
        return pattern;
    }

    /**
     * Writes the clean set's shards (keys {@code c00000000}, ... in input order; the
     * {@code .json} names the source and concept).
     *
     * @return the shards as a brace pattern
     */
    public static String writeClean(List<PoolItem> clean, Path dir, int shardSize)
            throws IOException {
        try (ShardWriter w = new ShardWriter(dir.resolve(SHARDS), shardSize)) {
            for (int i = 0; i < clean.size(); i++) {
                PoolItem it = clean.get(i);
                Map<String, String> json = new LinkedHashMap<>();
                json.put("source", it.source());
                json.put("concept", it.concept());
                w.write(String.format(Locale.ROOT, "c%08d", i), "png", it.png(), it.caption(),
                        JsonLines.line(json));
            }
            w.close();
            return pattern(dir.resolve(SHARDS), w.shards().size());
        }
    }

    /** The brace pattern of {@code count} shards {@code 00000.tar, ...} in {@code dir}. */
    public static String pattern(Path dir, int count) {
        return dir.resolve(count == 1 ? "00000.tar"
                : String.format(Locale.ROOT, "{00000..%05d}.tar", count - 1)).toString();
    }

    /**
     * The shards of an import folder ({@code ./align data import} output) as a pattern inside
     * that folder, wherever the import was run from.
     *
     * @throws IllegalArgumentException if the folder holds no finished import
     */
    public static String importShards(Path importDir) throws IOException {
        Path summary = importDir.resolve("import.json");
        dev.align.core.Checks.checkArgument(Files.isRegularFile(summary), "%s holds no finished "
                + "import (no import.json)", importDir);
        String pattern = Json.mapper().readTree(summary.toFile()).path("shards").asText("");
        dev.align.core.Checks.checkArgument(!pattern.isEmpty(), "%s names no shards", summary);
        return importDir.resolve(Path.of(pattern).getFileName().toString()).toString();
    }

    /** Reads a manifest. */
    public static List<ManifestEntry> readManifest(Path file) throws IOException {
        return JsonLines.read(file, ManifestEntry.class);
    }
}
