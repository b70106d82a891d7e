package dev.align.curation.pipeline;

import dev.align.core.Checks;
import dev.align.core.json.JsonOptional;

/**
 * The MetaCLIP 2 step ({@link dev.align.curation.worldwide.WorldwideBalancer}): each caption's
 * language is identified (its script, else the {@code lang} its sample records), the caption is
 * matched against that language's metadata (scripts without spaces segmented into words), entries
 * are counted per language, and every language is balanced with its own threshold, derived from the
 * English {@code t} so that it keeps the English tail share.
 *
 * @param metadata a folder of per-language metadata lists ({@code en.txt}, {@code de.txt},
 *     {@code ja.txt}, ...)
 * @param t the English threshold (default 20,000, MetaCLIP's for its 400M set)
 * @param seed seed of the coins (default 0)
 */
public record MetaClip2StepConfig(String metadata, @JsonOptional Long t,
        @JsonOptional Long seed) {

    /** Applies defaults and checks values. */
    public MetaClip2StepConfig {
        Checks.checkArgument(metadata != null && !metadata.isEmpty(),
                "the metaclip2 step needs metadata=DIR (a folder of per-language lists)");
        t = t == null ? 20_000L : t;
        seed = seed == null ? 0L : seed;
        Checks.checkArgument(t >= 1, "metaclip2 t must be >= 1, got %s", t);
    }
}
