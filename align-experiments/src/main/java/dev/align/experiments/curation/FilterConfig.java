package dev.align.experiments.curation;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.align.core.Checks;
import dev.align.core.json.JsonOptional;

/**
 * DFN's filter network: the recipe's model trained with the recipe on the clean set (as DFN
 * trains a CLIP model on a small high-quality set). Arms name its model folder as
 * {@code ${filter}}.
 *
 * @param steps training steps, default the recipe's
 * @param seed its training seed, default the experiment's seed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FilterConfig(@JsonOptional Long steps, @JsonOptional Long seed) {

    /** Checks values. */
    public FilterConfig {
        Checks.checkArgument(steps == null || steps >= 1, "filter.steps must be >= 1, got %s",
                steps);
    }

    /** Every default. */
    public static FilterConfig defaults() {
        return new FilterConfig(null, null);
    }
}
