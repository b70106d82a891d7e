package dev.align.data.internal;

import static dev.align.core.SplitMix64.mix;

import dev.align.core.SplitMix64;

/**
 * Derives independent seeds from a run seed and a few indices (epoch, sample position, purpose),
 * so every random decision in the pipeline depends only on those numbers and never on timing or
 * on how many threads ran. Uses the SplitMix64 finaliser (Steele, Lea and Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014), which maps nearby inputs to unrelated outputs.
 */
public final class Seeds {

    private Seeds() {}

    /**
     * A seed for {@code parts} under {@code seed}: each part is folded in with a SplitMix64 step,
     * so {@code derive(s, 1, 2)} and {@code derive(s, 2, 1)} differ.
     */
    public static long derive(long seed, long... parts) {
        long h = mix(seed);
        for (long p : parts) {
            h = mix(h ^ mix(p + SplitMix64.GOLDEN_GAMMA));
        }
        return h;
    }
}
