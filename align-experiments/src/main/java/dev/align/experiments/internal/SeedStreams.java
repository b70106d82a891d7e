package dev.align.experiments.internal;

import dev.align.core.SplitMix64;
import java.util.SplittableRandom;

/**
 * Independent random streams derived from one seed and a purpose, so every random choice of an
 * experiment depends only on the seed and on what it is for (never on the order other choices
 * were made in). The seeds are {@link SplitMix64#derive}'s, align's one seeded mixer.
 */
public final class SeedStreams {

    private SeedStreams() {}

    /** A generator for {@code parts} under {@code seed}. */
    public static SplittableRandom random(long seed, long... parts) {
        return new SplittableRandom(SplitMix64.derive(seed, parts));
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
}
