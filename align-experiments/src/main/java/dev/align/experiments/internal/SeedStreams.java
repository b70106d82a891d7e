package dev.align.experiments.internal;

import java.util.SplittableRandom;

/**
 * Independent random streams derived from one seed and a purpose, so every random choice of an
 * experiment depends only on the seed and on what it is for (never on the order other choices
 * were made in). SplitMix64 finaliser (Steele, Lea and Flood, OOPSLA 2014).
 */
public final class SeedStreams {

    private SeedStreams() {}

    /** A seed for {@code parts} under {@code seed}; the order of the parts matters. */
    public static long derive(long seed, long... parts) {
        long h = mix(seed);
        for (long p : parts) {
            h = mix(h ^ mix(p + 0x9E3779B97F4A7C15L));
        }
        return h;
    }

    /** A generator for {@code parts} under {@code seed}. */
    public static SplittableRandom random(long seed, long... parts) {
        return new SplittableRandom(derive(seed, parts));
    }

    /** Shuffles {@code a} in place (Fisher-Yates) with {@code random}. */
    public static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** {@code 0, 1, ..., n-1} in a random order. */
    public static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p, random);
        return p;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
