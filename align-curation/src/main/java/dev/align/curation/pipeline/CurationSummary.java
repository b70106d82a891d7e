package dev.align.curation.pipeline;

import java.util.List;
import java.util.Map;

/**
 * What a curation did, written as {@code summary.json}.
 *
 * @param pool the pool's shard pattern
 * @param pairsIn valid pairs read from the pool
 * @param skipped samples skipped while reading, by reason (as the data pipeline counts them, plus
 *     {@code duplicate_key} for a key seen earlier in the pool)
 * @param steps per step, pairs in and out
 * @param pairsOut pairs written to the curated shards
 * @param shards curated shard files written
 * @param seconds wall time of the whole run
 */
public record CurationSummary(String pool, long pairsIn, Map<String, Long> skipped,
        List<StepSummary> steps, long pairsOut, int shards, double seconds) {

    /** Copies the collections. */
    public CurationSummary {
        skipped = Map.copyOf(new java.util.TreeMap<>(skipped));
        steps = List.copyOf(steps);
    }
}
