package dev.align.curation.dfn;

import dev.align.core.Checks;
import dev.align.core.CodePoints;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which scored pairs a DFN or CLIP-score filter keeps. Both rules are exact and depend only on the
 * set of (key, score) pairs, never on their order, so a local run and a distributed one that sorts
 * the same way keep the same set.
 *
 * <ul>
 *   <li><b>Top fraction</b> ({@link #selectTop}): rank all pairs by {@link #RANK} (score descending
 *       by {@link Float#compare}, then key ascending by Unicode code point, which is also the
 *       order of the keys' UTF-8 bytes) and keep the first {@link #keepCount keepCount(n,
 *       fraction)} = {@code floor(fraction * n)} of them, the product taken in decimal on the
 *       fraction's shortest decimal form ({@code 0.15 * 100 = 15} exactly, where binary floating
 *       point would give {@code 15.000000000000002}). DFN keeps about 15% at every DataComp scale;
 *       DataComp's CLIP-score baseline keeps 30%.</li>
 *   <li><b>Threshold</b> ({@link #selectAtLeast}): keep pairs with {@code (double) score >=
 *       threshold} (DataComp's CLIP-score baselines use 0.25 and 0.28 with OpenAI's ViT-L/14).</li>
 * </ul>
 */
public final class DfnSelection {

    /** Score descending ({@link Float#compare}), then key ascending by code point. */
    public static final Comparator<ScoredPair> RANK = (a, b) -> {
        int c = Float.compare(b.score(), a.score());
        return c != 0 ? c : compareKeys(a.key(), b.key());
    };

    private DfnSelection() {}

    /**
     * The number of pairs the top-fraction rule keeps out of {@code n}.
     *
     * @param n pairs ranked
     * @param fraction in {@code [0, 1]}
     * @return {@code floor(fraction * n)}, computed exactly in decimal
     */
    public static long keepCount(long n, double fraction) {
        checkFraction(fraction);
        Checks.checkArgument(n >= 0, "n must be >= 0, got %s", n);
        return new BigDecimal(Double.toString(fraction)).multiply(BigDecimal.valueOf(n))
                .setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    /**
     * Keeps the best {@link #keepCount} pairs by {@link #RANK}.
     *
     * @param pairs scored pairs with distinct keys
     * @param fraction share to keep, in {@code [0, 1]}
     * @return {@code kept[i]} for {@code pairs.get(i)}
     * @throws IllegalArgumentException if two pairs share a key or the fraction is out of range
     */
    public static boolean[] selectTop(List<ScoredPair> pairs, double fraction) {
        long k = keepCount(pairs.size(), fraction);
        List<Integer> order = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            order.add(i);
        }
        order.sort((i, j) -> RANK.compare(pairs.get(i), pairs.get(j)));
        Set<String> keys = new HashSet<>();
        for (ScoredPair p : pairs) {
            Checks.checkArgument(keys.add(p.key()), "key '%s' appears twice", p.key());
        }
        boolean[] kept = new boolean[pairs.size()];
        for (int r = 0; r < k; r++) {
            kept[order.get(r)] = true;
        }
        return kept;
    }

    /**
     * Keeps pairs whose score reaches the threshold.
     *
     * @param pairs scored pairs
     * @param threshold minimum cosine similarity, finite
     * @return {@code kept[i] = (double) pairs.get(i).score() >= threshold}
     */
    public static boolean[] selectAtLeast(List<ScoredPair> pairs, double threshold) {
        Checks.checkArgument(Double.isFinite(threshold), "threshold must be finite, got %s", threshold);
        boolean[] kept = new boolean[pairs.size()];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = pairs.get(i).score() >= threshold;
        }
        return kept;
    }

    /**
     * Compares keys by Unicode code point (the order of their UTF-8 bytes, as Spark's binary
     * string order), not by UTF-16 unit as {@link String#compareTo} does.
     */
    public static int compareKeys(String a, String b) {
        return CodePoints.compare(a, b);
    }

    private static void checkFraction(double fraction) {
        Checks.checkArgument(fraction >= 0 && fraction <= 1,
                "the kept fraction must be in [0, 1], got %s", fraction);
    }
}
