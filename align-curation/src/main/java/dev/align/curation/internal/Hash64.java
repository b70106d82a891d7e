package dev.align.curation.internal;

import static dev.align.core.SplitMix64.mix;

/**
 * A 64-bit string hash: FNV-1a over the UTF-16 units, then the SplitMix64 finaliser. Used for
 * identities that are counted, never for security; two distinct strings collide with probability
 * about 2^-64 per pair, so a pool of {@code n} strings has a collision with probability about
 * {@code n^2 / 2^65}: 3e-8 for a million strings, 0.03 for a billion.
 */
public final class Hash64 {

    private Hash64() {}

    /** The hash of {@code s}. */
    public static long of(CharSequence s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return mix(h);
    }

    /** A hash of an ordered pair of hashes. */
    public static long pair(long a, long b) {
        return mix(mix(a) * 31 + b);
    }

}
