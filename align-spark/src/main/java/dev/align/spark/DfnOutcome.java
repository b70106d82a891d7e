package dev.align.spark;

import java.io.Serializable;

/**
 * The DFN decision of one pair, as the Spark job writes it.
 *
 * @param shard the shard of the pair
 * @param key the pair's key
 * @param score the cosine similarity of its image and text embeddings; NaN if the image could not
 *     be decoded
 * @param rank 0-based position in {@link dev.align.curation.dfn.DfnSelection#RANK} order among the
 *     scored pairs (top-fraction mode), or -1 (threshold mode, or no score)
 * @param kept whether the pair stays
 * @param reason {@code kept}, {@code below_top}, {@code below_threshold} or {@code corrupt_image}
 */
public record DfnOutcome(String shard, String key, float score, long rank, boolean kept,
        String reason) implements Serializable {

    private static final long serialVersionUID = 1L;
}
