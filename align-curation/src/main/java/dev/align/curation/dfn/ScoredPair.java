package dev.align.curation.dfn;

import dev.align.core.Checks;

/**
 * A pair's filter score, named by its sample key.
 *
 * @param key the pair's WebDataset sample key, unique in the pool
 * @param score the image-text cosine similarity, finite
 */
public record ScoredPair(String key, float score) {

    /** Checks the key is given and the score finite. */
    public ScoredPair {
        Checks.checkArgument(key != null, "key must not be null");
        Checks.checkArgument(Float.isFinite(score), "score of pair '%s' is %s; scores must be finite",
                key, score);
    }
}
