package dev.align.spark;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a MetaCLIP run on Spark did, written as {@code summary.json} beside its decisions.
 *
 * @param schemaVersion version of this layout (1)
 * @param input the pool that was read (a parquet path or the shard list's pattern)
 * @param pairs valid pairs read
 * @param kept pairs kept
 * @param noMatch pairs whose caption matched no entry
 * @param sampledOut pairs that matched but whose every coin fell at or above its probability
 * @param skipped samples that could not be read, by reason
 * @param threshold MetaCLIP's {@code t}
 * @param seed the coins' seed
 * @param entries size of the metadata list
 * @param matches sum of the entry counts: (pair, entry) matches over the pool
 * @param partitions partitions the pool was processed in
 * @param countSeconds wall time of reading, matching and counting the pool (the first two Spark
 *     jobs)
 * @param seconds wall time of the whole job, reading and writing included
 */
public record MetaClipSummary(int schemaVersion, String input, long pairs, long kept, long noMatch,
        long sampledOut, Map<String, Long> skipped, long threshold, long seed, int entries,
        long matches, int partitions, double countSeconds, double seconds) {

    /** Copies the skip counts into a sorted map. */
    public MetaClipSummary {
        skipped = new TreeMap<>(skipped);
    }
}
