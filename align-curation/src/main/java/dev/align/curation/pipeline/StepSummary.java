package dev.align.curation.pipeline;

import java.util.Map;

/**
 * What one step did.
 *
 * @param step the step's name ({@code align-rules}, {@code metaclip}, {@code dfn})
 * @param pairsIn pairs that reached the step
 * @param pairsOut pairs it kept
 * @param dropped pairs it dropped, by reason (the first rule hit, {@code no_match},
 *     {@code sampled_out}, {@code below_top}, {@code below_threshold}, {@code corrupt_image})
 * @param seconds wall time of the step
 */
public record StepSummary(String step, long pairsIn, long pairsOut, Map<String, Long> dropped,
        double seconds) {

    /** Copies the map. */
    public StepSummary {
        dropped = Map.copyOf(new java.util.TreeMap<>(dropped));
    }
}
