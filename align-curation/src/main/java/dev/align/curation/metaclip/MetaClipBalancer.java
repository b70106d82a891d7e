package dev.align.curation.metaclip;

import static dev.align.core.SplitMix64.GOLDEN_GAMMA;
import static dev.align.core.SplitMix64.mix;

import dev.align.core.Checks;
import dev.align.curation.internal.ParallelBlocks;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * MetaCLIP's balancing (Xu et al. 2023, Algorithm 1), made deterministic and explainable.
 *
 * <p>Each entry gets {@code p[e] = t / max(count[e], t)}: entries matched by at most {@code t} pairs
 * (the tail) keep all their pairs, head entries keep about {@code t}. A pair with matched entries
 * {@code E} is kept with probability {@code 1 - prod_{e in E} (1 - p[e])}. MetaCLIP draws one
 * unseeded coin per (pair, entry); here the coin is a pure function of (seed, pair id, entry id),
 * {@link #coin}, and the pair is kept when <em>any</em> of its entries' coins is below {@code p[e]}.
 * The coins of one pair are independent uniforms, so the keep probability is exactly MetaCLIP's,
 * and the decision of a pair depends only on the seed, its id, its entries and the pool's counts:
 * not on the order of pairs, on sharding or on the number of threads.
 *
 * <p>Immutable and thread-safe.
 */
public final class MetaClipBalancer {


    private final double[] probability;
    private final long threshold;
    private final long seed;

    /**
     * @param counts entry counts over the whole pool (all shards summed)
     * @param threshold MetaCLIP's {@code t} (20,000 for its 400M set, 170,000 for 2.5B), {@code >= 1}
     * @param seed seed of the coins
     */
    public MetaClipBalancer(EntryCounts counts, long threshold, long seed) {
        Checks.checkArgument(counts != null, "counts must not be null");
        Checks.checkArgument(threshold >= 1, "threshold t must be >= 1, got %s", threshold);
        this.threshold = threshold;
        this.seed = seed;
        probability = new double[counts.numEntries()];
        for (int e = 0; e < probability.length; e++) {
            probability[e] = (double) threshold / Math.max(counts.count(e), threshold);
        }
    }

    /** @return MetaCLIP's {@code t} */
    public long threshold() {
        return threshold;
    }

    /** @return the seed of the coins */
    public long seed() {
        return seed;
    }

    /**
     * @param entryId an entry id
     * @return {@code p[e] = t / max(count[e], t)}
     */
    public double entryProbability(int entryId) {
        return probability[entryId];
    }

    /**
     * The coin of entry {@code entryId} for pair {@code pairId}: a uniform double in {@code [0, 1)}.
     * With {@code mix} the SplitMix64 finaliser ({@code z ^= z >>> 30; z *= 0xbf58476d1ce4e5b9;
     * z ^= z >>> 27; z *= 0x94d049bb133111eb; z ^= z >>> 31}) and {@code G = 0x9e3779b97f4a7c15}:
     * <pre>
     * h = mix(seed + G)
     * h = mix(h + pairId * G)
     * h = mix(h + (entryId + 1) * G)
     * coin = (h >>> 11) * 2^-53
     * </pre>
     * (all arithmetic on wrapping signed 64-bit integers).
     *
     * @param seed seed of the coins
     * @param pairId the pair's id
     * @param entryId the entry's id
     * @return the coin
     */
    public static double coin(long seed, long pairId, int entryId) {
        long h = mix(seed + GOLDEN_GAMMA);
        h = mix(h + pairId * GOLDEN_GAMMA);
        h = mix(h + (entryId + 1L) * GOLDEN_GAMMA);
        return (h >>> 11) * 0x1.0p-53;
    }

    /**
     * Decides one pair.
     *
     * @param pairId the pair's stable id
     * @param entryIds its matched entry ids, ascending and distinct (as {@link MetadataMatcher}
     *     returns them); empty means no match
     * @return the decision, with the keep probability and the entry that kept it
     * @throws IllegalArgumentException if the ids are not ascending and distinct or out of range
     */
    public BalanceDecision decide(long pairId, int[] entryIds) {
        if (entryIds.length == 0) {
            return new BalanceDecision(pairId, false, 0.0, -1, BalanceDecision.Reason.NO_MATCH);
        }
        double dropProbability = 1.0;
        int keptBy = -1;
        int previous = -1;
        for (int e : entryIds) {
            if (e <= previous || e >= probability.length) { // no varargs boxing on the hot path
                throw new IllegalArgumentException(String.format(
                        "pair %s: entry ids must be ascending, distinct and < %s, got %s",
                        pairId, probability.length, Arrays.toString(entryIds)));
            }
            previous = e;
            double p = probability[e];
            dropProbability *= 1.0 - p;
            if (keptBy < 0 && coin(seed, pairId, e) < p) {
                keptBy = e;
            }
        }
        boolean kept = keptBy >= 0;
        return new BalanceDecision(pairId, kept, 1.0 - dropProbability, keptBy,
                kept ? BalanceDecision.Reason.KEPT : BalanceDecision.Reason.SAMPLED_OUT);
    }

    /**
     * Decides many pairs on {@code threads} threads; element {@code i} is
     * {@code decide(pairIds[i], matches.get(i))} whatever the thread count.
     *
     * @param pairIds stable id per pair
     * @param matches matched entry ids per pair
     * @param threads worker threads, at least 1
     * @return one decision per pair, in input order
     */
    public List<BalanceDecision> decideAll(long[] pairIds, List<int[]> matches, int threads) {
        Checks.checkArgument(threads >= 1, "threads must be >= 1, got %s", threads);
        Checks.checkArgument(pairIds.length == matches.size(),
                "%s pair ids but %s match lists", pairIds.length, matches.size());
        int n = pairIds.length;
        BalanceDecision[] out = new BalanceDecision[n];
        ParallelBlocks.forEach(n, 4096, threads, "metaclip-balance", () -> null,
                (i, unused) -> out[i] = decide(pairIds[i], matches.get(i)));
        return Collections.unmodifiableList(Arrays.asList(out));
    }
}
