package dev.align.core;

/**
 * The SplitMix64 finaliser (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014; the constants of Java's {@code SplittableRandom}), the one seeded
 * mixer of align: every derived seed and every hash coin goes through {@link #mix(long)}, which
 * maps nearby inputs to unrelated outputs.
 *
 * <p>A seed for a purpose is {@link #derive(long, long...)}: the run seed and a few indices
 * (epoch, sample position, stream), so every random decision depends only on those numbers and
 * never on timing or on how many threads ran. A few older callers combine their inputs before
 * mixing in their own documented way (for example {@code mix(seed + stream * GOLDEN_GAMMA)});
 * those combinations are part of their output and are kept as they are, so that seeds, shards and
 * curation decisions written by earlier versions stay bit-identical.
 */
public final class SplitMix64 {

    /** The golden-ratio increment {@code 0x9e3779b97f4a7c15} (2^64 / phi, odd). */
    public static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private SplitMix64() {}

    /**
     * The finaliser: {@code z ^= z >>> 30; z *= 0xbf58476d1ce4e5b9; z ^= z >>> 27;
     * z *= 0x94d049bb133111eb; z ^= z >>> 31} on wrapping 64-bit integers.
     *
     * @param z any value
     * @return its mix
     */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * A seed for {@code parts} under {@code seed}: {@code h = mix(seed)}, then for each part
     * {@code h = mix(h ^ mix(part + GOLDEN_GAMMA))}, so {@code derive(s, 1, 2)} and
     * {@code derive(s, 2, 1)} differ.
     *
     * @param seed the run's seed
     * @param parts indices that name the purpose, in order
     * @return the derived seed
     */
    public static long derive(long seed, long... parts) {
        long h = mix(seed);
        for (long p : parts) {
            h = mix(h ^ mix(p + GOLDEN_GAMMA));
        }
        return h;
    }
}
