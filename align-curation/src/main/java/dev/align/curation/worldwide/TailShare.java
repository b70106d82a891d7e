package dev.align.curation.worldwide;

import dev.align.core.Checks;
import dev.align.curation.metaclip.EntryCounts;
import java.util.Arrays;

/**
 * MetaCLIP 2's rule for carrying the English threshold over to other languages: every language
 * keeps the same <em>tail share</em>, the fraction of its matches that fall on tail entries
 * (facebookresearch/MetaCLIP, {@code metaclip/curation/curate.py}, {@code t_to_p} and
 * {@code p_to_t}).
 *
 * <ul>
 *   <li>{@link #tToP}: {@code p = sum(count[e] for count[e] < t) / sum(count[e])}, the share of
 *       the matches that entries below {@code t} hold.
 *   <li>{@link #pToT}: sort the counts ascending, {@code c_1 <= ... <= c_n}; with
 *       {@code portion_i = (c_1 + ... + c_i) / (c_1 + ... + c_n)}, take the first {@code i} that
 *       minimises {@code |portion_i - p|} and return {@code t = c_i}.
 * </ul>
 *
 * Then {@code t_lang = pToT(counts_lang, tToP(counts_en, t_en))}, and English keeps {@code t_en}.
 * Entries never matched (count 0) are left out of {@code pToT}'s sort (MetaCLIP keeps them; they
 * add nothing to any portion but would make {@code t = 0} the answer for small {@code p}), and
 * {@code t} is at least 1, so that {@code t / max(count, t)} is always defined.
 */
public final class TailShare {

    private TailShare() {}

    /**
     * The share of the matches held by entries matched fewer than {@code t} times.
     *
     * @param counts a language's entry counts
     * @param t its threshold, {@code >= 1}
     * @return {@code p} in {@code [0, 1]}
     * @throws IllegalArgumentException if {@code t < 1} or nothing matched (the share is undefined)
     */
    public static double tToP(EntryCounts counts, long t) {
        Checks.checkArgument(t >= 1, "threshold t must be >= 1, got %s", t);
        Checks.checkArgument(counts.totalMatches() > 0, "no caption of this language matched "
                + "its metadata, so its tail share is undefined: check the metadata and the "
                + "language of the captions");
        long tail = 0;
        for (int e = 0; e < counts.numEntries(); e++) {
            long c = counts.count(e);
            if (c < t) {
                tail += c;
            }
        }
        return tail / (double) counts.totalMatches();
    }

    /**
     * The threshold that gives a language the tail share {@code p}.
     *
     * @param counts the language's entry counts
     * @param p the tail share, in {@code [0, 1]}
     * @return {@code t >= 1}
     * @throws IllegalArgumentException if {@code p} is outside {@code [0, 1]} or nothing matched
     */
    public static long pToT(EntryCounts counts, double p) {
        Checks.checkArgument(p >= 0 && p <= 1, "tail share p must be in [0, 1], got %s", p);
        Checks.checkArgument(counts.totalMatches() > 0, "no caption of this language matched "
                + "its metadata, so no threshold gives it a tail share");
        long[] sorted = Arrays.stream(counts.toArray()).filter(c -> c > 0).sorted().toArray();
        double total = counts.totalMatches();
        long cumulative = 0;
        int best = 0;
        double bestGap = Double.POSITIVE_INFINITY;
        for (int i = 0; i < sorted.length; i++) {
            cumulative += sorted[i];
            double gap = Math.abs(cumulative / total - p);
            if (gap < bestGap) {           // strictly: the first minimum wins, as numpy's argmin
                bestGap = gap;
                best = i;
            }
        }
        return Math.max(1, sorted[best]);
    }
}
