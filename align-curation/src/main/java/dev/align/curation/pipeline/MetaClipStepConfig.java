package dev.align.curation.pipeline;

import dev.align.core.Checks;
import dev.align.core.json.JsonOptional;

/**
 * The MetaCLIP step: match every caption against a metadata list, count matches per entry over the
 * pairs that reach the step, keep each pair with probability {@code 1 - prod(1 - t / max(count, t))}
 * by hash coins.
 *
 * @param metadata the metadata file (one entry per line, or MetaCLIP's {@code metadata.json})
 * @param t the balancing threshold (default 20,000, MetaCLIP's for its 400M set)
 * @param seed seed of the coins (default 0)
 */
public record MetaClipStepConfig(String metadata, @JsonOptional Long t, @JsonOptional Long seed) {

    /** Applies defaults and checks values. */
    public MetaClipStepConfig {
        Checks.checkArgument(metadata != null && !metadata.isEmpty(),
                "the metaclip step needs metadata=FILE (a metadata list)");
        t = t == null ? 20_000L : t;
        seed = seed == null ? 0L : seed;
        Checks.checkArgument(t >= 1, "metaclip t must be >= 1, got %s", t);
    }
}
