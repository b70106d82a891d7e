package dev.align.experiments.stats;

import dev.align.core.Checks;
import dev.align.experiments.pool.ManifestEntry;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * How flat the concept histogram of a curated set is (concepts are the images' true concepts from
 * the manifest, whatever their captions say).
 *
 * @param concepts distinct concepts in the pool
 * @param conceptsKept distinct concepts among the kept pairs
 * @param topConcepts the number of largest concepts {@code topShare} looks at:
 *     {@code max(1, round(topFraction * concepts))}
 * @param topShare share of the kept pairs that show the {@code topConcepts} most frequent
 *     concepts among them ({@code null} when nothing was kept)
 * @param headShare share of the kept pairs that show a head concept ({@code null} when nothing
 *     was kept)
 * @param normalisedEntropy Shannon entropy of the kept concept distribution divided by
 *     {@code ln(concepts)}: 1 for a flat histogram over every pool concept, lower when a few
 *     concepts dominate or concepts are lost ({@code null} when nothing was kept or the pool has
 *     one concept)
 */
public record ConceptBalance(int concepts, int conceptsKept, int topConcepts, Double topShare,
        Double headShare, Double normalisedEntropy) {

    /**
     * Measures the kept pairs.
     *
     * @param manifest the pool's truth
     * @param kept whether the curation kept the pair with this key
     * @param topFraction share of the pool's concepts that {@code topShare} looks at (0.02)
     */
    public static ConceptBalance of(List<ManifestEntry> manifest, Predicate<String> kept,
            double topFraction) {
        Checks.checkArgument(topFraction > 0 && topFraction <= 1, "topFraction must be in "
                + "(0, 1], got %s", topFraction);
        Set<String> all = new HashSet<>();
        Map<String, Integer> counts = new HashMap<>();
        int total = 0;
        int head = 0;
        for (ManifestEntry e : manifest) {
            all.add(e.concept());
            if (kept.test(e.key())) {
                counts.merge(e.concept(), 1, Integer::sum);
                total++;
                head += e.head() ? 1 : 0;
            }
        }
        int top = Math.max(1, (int) Math.round(topFraction * all.size()));
        if (total == 0) {
            return new ConceptBalance(all.size(), 0, top, null, null, null);
        }
        int[] c = counts.values().stream().mapToInt(Integer::intValue).sorted().toArray();
        long topSum = 0;
        for (int i = c.length - 1; i >= Math.max(0, c.length - top); i--) {
            topSum += c[i];
        }
        double h = 0;
        for (int x : c) {
            double p = x / (double) total;
            h -= p * Math.log(p);
        }
        Double entropy = all.size() < 2 ? null : h / Math.log(all.size());
        return new ConceptBalance(all.size(), c.length, top, topSum / (double) total,
                head / (double) total, entropy);
    }

    /** The kept pairs per concept, largest first (for rank-frequency plots). */
    public static int[] sortedCounts(List<ManifestEntry> manifest, Predicate<String> kept) {
        Map<String, Integer> counts = new HashMap<>();
        for (ManifestEntry e : manifest) {
            if (kept.test(e.key())) {
                counts.merge(e.concept(), 1, Integer::sum);
            }
        }
        int[] c = counts.values().stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(c);
        for (int i = 0, j = c.length - 1; i < j; i++, j--) {
            int t = c[i];
            c[i] = c[j];
            c[j] = t;
        }
        return c;
    }
}
