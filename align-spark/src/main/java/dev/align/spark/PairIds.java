package dev.align.spark;

import dev.align.core.Checks;

import java.nio.charset.StandardCharsets;

/**
 * The stable 64-bit id of a pair, derived from its key alone, so that MetaCLIP's coins
 * ({@link dev.align.curation.metaclip.MetaClipBalancer#coin}) do not depend on where a pair sits in
 * a file, a shard, a partition or a thread's block.
 *
 * <p>{@code id = mix(fnv1a64(utf8(key)))}: FNV-1a over the key's UTF-8 bytes (offset basis
 * {@code 0xcbf29ce484222325}, prime {@code 0x100000001b3}), then the SplitMix64 finaliser
 * ({@code z ^= z >>> 30; z *= 0xbf58476d1ce4e5b9; z ^= z >>> 27; z *= 0x94d049bb133111eb;
 * z ^= z >>> 31}) to spread FNV's weak low bits. A local run that wants Spark's kept set decides
 * pair {@code key} with id {@code PairIds.of(key)}. Distinct keys collide with probability about
 * {@code n^2 / 2^65} (1 in 37 million for a billion pairs); a collision only makes two pairs share
 * coins.
 */
public final class PairIds {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private PairIds() {}

    /**
     * @param key the pair's key (a WebDataset sample key, or the {@code key} column of a table)
     * @return its id
     * @throws IllegalArgumentException if the key is null
     */
    public static long of(String key) {
        Checks.checkArgument(key != null, "a pair key is null; every pair needs a key");
        long h = FNV_OFFSET;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
