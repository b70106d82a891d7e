package dev.align.train;

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
        long z = seed + stream * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
