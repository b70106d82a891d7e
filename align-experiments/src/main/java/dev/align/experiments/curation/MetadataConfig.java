package dev.align.experiments.curation;

import dev.align.core.Checks;
import dev.align.core.json.JsonOptional;

/**
 * The MetaCLIP metadata the experiment builds from the pool's own captions
 * ({@link dev.align.curation.metaclip.Metadata#fromCaptions}): unigrams and bigrams seen at least
 * so often become entries, standing in for MetaCLIP's WordNet and Wikipedia lists. Arms name the
 * file as {@code ${metadata}}.
 *
 * @param minUnigramCount default 3
 * @param minBigramCount default 3
 */
public record MetadataConfig(@JsonOptional Long minUnigramCount,
        @JsonOptional Long minBigramCount) {

    /** Applies defaults and checks values. */
    public MetadataConfig {
        minUnigramCount = minUnigramCount == null ? 3L : minUnigramCount;
        minBigramCount = minBigramCount == null ? 3L : minBigramCount;
        Checks.checkArgument(minUnigramCount >= 1 && minBigramCount >= 1, "metadata minimum "
                + "counts must be >= 1, got %s and %s", minUnigramCount, minBigramCount);
    }

    /** Every default. */
    public static MetadataConfig defaults() {
        return new MetadataConfig(null, null);
    }
}
