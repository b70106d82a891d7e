package dev.align.spark;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a MetaCLIP 2 run on Spark did, written as {@code summary.json} beside its decisions and
 * {@code languages.json} (the per-language numbers, as the local {@code metaclip2} step writes
 * them).
 *
 * @param schemaVersion version of this layout (1)
 * @param input the pool that was read (a parquet path or the shard list's pattern)
 * @param pairs valid pairs read
 * @param kept pairs kept
 * @param noMatch pairs whose caption matched no entry of its language (or had no language)
 * @param sampledOut pairs that matched but whose every coin fell at or above its probability
 * @param skipped samples that could not be read, by reason
 * @param englishThreshold MetaCLIP 2's {@code t_en}
 * @param tailShare the English tail share every language keeps
 * @param thresholds {@code t} per language that matched anything
 * @param seed the coins' seed
 * @param entries size of each language's metadata list
 * @param matches (pair, entry) matches over the pool, all languages
 * @param partitions partitions the pool was processed in
 * @param countSeconds wall time of reading, identifying, matching and counting the pool
 * @param seconds wall time of the whole job, reading and writing included
 */
public record MetaClip2Summary(int schemaVersion, String input, long pairs, long kept,
        long noMatch, long sampledOut, Map<String, Long> skipped, long englishThreshold,
        double tailShare, Map<String, Long> thresholds, long seed, Map<String, Integer> entries,
        long matches, int partitions, double countSeconds, double seconds) {

    /** Copies the maps into sorted ones. */
    public MetaClip2Summary {
        skipped = new TreeMap<>(skipped);
        thresholds = new TreeMap<>(thresholds);
        entries = new TreeMap<>(entries);
    }
}
