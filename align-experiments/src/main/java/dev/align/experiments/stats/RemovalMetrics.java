package dev.align.experiments.stats;

import dev.align.experiments.pool.Defect;
import dev.align.experiments.pool.ManifestEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a curation removed, judged against the injected defects of the manifest: precision (the
 * share of removed pairs that were defective) and recall (the share of defective pairs that were
 * removed), overall and per defect kind, and what it did to clean pairs and near-duplicates.
 *
 * @param pairs pairs in the pool
 * @param kept pairs the curation kept
 * @param removed pairs it removed
 * @param defects pairs with an injected defect
 * @param defectsRemoved of those, removed
 * @param precision {@code defectsRemoved / removed}, {@code null} when nothing was removed
 * @param recall {@code defectsRemoved / defects}, {@code null} when nothing was injected
 * @param cleanRemoved pairs without a defect that were removed (near-duplicates included)
 * @param nearDuplicates added near-duplicates in the pool
 * @param nearDuplicatesRemoved of those, removed
 * @param byDefect per kind of defect (every {@link Defect} but {@code none})
 */
public record RemovalMetrics(int pairs, int kept, int removed, int defects, int defectsRemoved,
        Double precision, Double recall, int cleanRemoved, int nearDuplicates,
        int nearDuplicatesRemoved, List<DefectRemoval> byDefect) {

    /**
     * One kind of defect.
     *
     * @param defect the kind's label
     * @param injected pairs with it
     * @param removed of those, removed
     * @param recall {@code removed / injected}, {@code null} when none was injected
     */
    public record DefectRemoval(String defect, int injected, int removed, Double recall) {}

    /** Copies the list. */
    public RemovalMetrics {
        byDefect = List.copyOf(byDefect);
    }

    /**
     * Judges a curation.
     *
     * @param manifest the pool's truth
     * @param kept whether the curation kept the pair with this key
     */
    public static RemovalMetrics of(List<ManifestEntry> manifest, Predicate<String> kept) {
        Defect[] kinds = Defect.values();
        int[] injected = new int[kinds.length];
        int[] removedOf = new int[kinds.length];
        int keptCount = 0;
        int nearDuplicates = 0;
        int nearDuplicatesRemoved = 0;
        for (ManifestEntry e : manifest) {
            boolean k = kept.test(e.key());
            injected[e.defect().ordinal()]++;
            if (k) {
                keptCount++;
            } else {
                removedOf[e.defect().ordinal()]++;
            }
            if (e.nearDuplicate()) {
                nearDuplicates++;
                nearDuplicatesRemoved += k ? 0 : 1;
            }
        }
        int removed = manifest.size() - keptCount;
        int defects = manifest.size() - injected[Defect.NONE.ordinal()];
        int defectsRemoved = removed - removedOf[Defect.NONE.ordinal()];
        List<DefectRemoval> byDefect = new ArrayList<>();
        for (Defect d : kinds) {
            if (d.injected()) {
                int i = d.ordinal();
                byDefect.add(new DefectRemoval(d.label(), injected[i], removedOf[i],
                        ratio(removedOf[i], injected[i])));
            }
        }
        return new RemovalMetrics(manifest.size(), keptCount, removed, defects, defectsRemoved,
                ratio(defectsRemoved, removed), ratio(defectsRemoved, defects),
                removedOf[Defect.NONE.ordinal()], nearDuplicates, nearDuplicatesRemoved, byDefect);
    }

    private static Double ratio(int a, int b) {
        return b == 0 ? null : a / (double) b;
    }
}
