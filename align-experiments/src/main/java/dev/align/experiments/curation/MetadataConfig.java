package dev.align.experiments.curation;

import dev.align.core.Checks;
import dev.align.core.json.JsonOptional;

/**
 * The MetaCLIP metadata the experiment builds from the pool's own captions
 * ({@link dev.align.curation.metaclip.Metadata#fromCaptions}): unigrams and bigrams seen at least
 * so often become entries, standing in for MetaCLIP's WordNet and Wikipedia lists. Arms name the
 * file as {@code ${metadata}}. The default, 2, makes the label of every concept drawn twice an
 * entry (an external vocabulary names the tail too) while strings seen once, such as file
 * names, are not; with 3, tail concepts' own labels drop out of the metadata and their pairs
 * are balanced as if they were head pairs.
 *
 * @param minUnigramCount default 2
 * @param minBigramCount default 2
 */
public record MetadataConfig(@JsonOptional Long minUnigramCount,
        @JsonOptional Long minBigramCount) {

    /** Applies defaults and checks values. */
    public MetadataConfig {
        minUnigramCount = minUnigramCount == null ? 2L : minUnigramCount;
        minBigramCount = minBigramCount == null ? 2L : minBigramCount;
        Checks.checkArgument(minUnigramCount >= 1 && minBigramCount >= 1, "metadata minimum "
                + "counts must be >= 1, got %s and %s", minUnigramCount, minBigramCount);
    }

    /** Every default. */
    public static MetadataConfig defaults() {
        return new MetadataConfig(null, null);
    }
}
