package dev.align.train;

import dev.align.core.SplitMix64;

/**
 * The run's one seed split per component (SplitMix64), so that changing, say, the data order does
 * not change the initialisation.
 *
 * @param seed the run's seed
 */
public record Seeds(long seed) {

    /** Seed of the weight initialisation. */
    public long init() {
        return mix(1);
    }

    /** Seed of the data order. */
    public long data() {
        return mix(2);
    }

    /** Seed of FLIP patch dropout. */
    public long dropout() {
        return mix(3);
    }

    private long mix(long stream) {
        return SplitMix64.mix(seed + stream * SplitMix64.GOLDEN_GAMMA);
    }
}
