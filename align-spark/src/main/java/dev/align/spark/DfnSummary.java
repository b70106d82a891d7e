package dev.align.spark;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a DFN run on Spark did, written as {@code summary.json} beside its decisions.
 *
 * @param schemaVersion version of this layout (1)
 * @param input the shard pattern that was read
 * @param model the model folder
 * @param rule {@code top_fraction} or {@code threshold}
 * @param value the kept fraction or the score threshold
 * @param pairs valid pairs read
 * @param scored pairs with a score (the rest had an image that could not be decoded)
 * @param kept pairs kept
 * @param lowestKeptScore the smallest score among the kept pairs (NaN when none is kept)
 * @param skipped samples that could not be read, by reason
 * @param batchSize rows per forward pass
 * @param partitions tasks the pool was scored in (one per shard)
 * @param seconds wall time of the whole job
 */
public record DfnSummary(int schemaVersion, String input, String model, String rule, double value,
        long pairs, long scored, long kept, double lowestKeptScore, Map<String, Long> skipped,
        int batchSize, int partitions, double seconds) {

    /** Copies the skip counts into a sorted map. */
    public DfnSummary {
        skipped = new TreeMap<>(skipped);
    }
}
