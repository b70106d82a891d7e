package dev.align.experiments.curation;

import dev.align.core.Checks;
import dev.align.core.json.JsonOptional;
import dev.align.experiments.pool.SourceItems;

/**
 * One real source of the pool.
 *
 * @param kind {@code emoji} (Google and Twitter drawings), {@code mdi} (Material Design Icons)
 *     or {@code openclipart}
 * @param limit at most this many samples are imported, 0 = all (default)
 * @param heldOut share of the source's concepts held out of the pool for the clean set DFN's
 *     filter network trains on, in [0, 1), default 0
 */
public record SourceConfig(String kind, @JsonOptional Long limit, @JsonOptional Double heldOut) {

    /** Applies defaults and checks values. */
    public SourceConfig {
        Checks.checkArgument(kind != null && SourceItems.KINDS.contains(kind),
                "pool source kind must be one of %s, got %s", SourceItems.KINDS, kind);
        limit = limit == null ? 0L : limit;
        heldOut = heldOut == null ? 0.0 : heldOut;
        Checks.checkArgument(limit >= 0, "pool source %s: limit must be >= 0 (0 = all), got %s",
                kind, limit);
        Checks.checkArgument(heldOut >= 0 && heldOut < 1, "pool source %s: heldOut must be in "
                + "[0, 1), got %s", kind, heldOut);
    }
}
