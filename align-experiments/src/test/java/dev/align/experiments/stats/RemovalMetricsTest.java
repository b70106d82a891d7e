package dev.align.experiments.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.align.experiments.pool.Defect;
import dev.align.experiments.pool.Jitter;
import dev.align.experiments.pool.ManifestEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RemovalMetricsTest {

    static ManifestEntry entry(String key, String concept, Defect d, boolean copy, boolean head) {
        return new ManifestEntry(key, "emoji", key, concept, head, copy ? "k0" : null,
                copy ? new Jitter(1, 0, 1, 1) : null, d, "c", "c",
                d == Defect.MISMATCH ? "k0" : null);
    }

    /** 10 pairs: 4 clean (2 of them copies), 3 mismatches, 1 of each other junk but soup. */
    static List<ManifestEntry> manifest() {
        List<ManifestEntry> m = new ArrayList<>();
        m.add(entry("k0", "a", Defect.NONE, false, true));
        m.add(entry("k1", "a", Defect.NONE, true, true));
        m.add(entry("k2", "a", Defect.NONE, true, true));
        m.add(entry("k3", "b", Defect.NONE, false, false));
        m.add(entry("k4", "b", Defect.MISMATCH, false, false));
        m.add(entry("k5", "c", Defect.MISMATCH, false, false));
        m.add(entry("k6", "a", Defect.MISMATCH, true, true));
        m.add(entry("k7", "c", Defect.JUNK_FILENAME, false, false));
        m.add(entry("k8", "d", Defect.JUNK_GENERIC, false, false));
        m.add(entry("k9", "d", Defect.JUNK_EMPTY, false, false));
        return m;
    }

    @Test
    void precisionAndRecallByHand() {
        // Removed: k1 (clean copy), k4, k6 (mismatches), k7, k8 (junk) -> 4 of 5 removed are
        // defects (precision 0.8); 4 of 6 defects removed (recall 2/3).
        Set<String> removed = Set.of("k1", "k4", "k6", "k7", "k8");
        RemovalMetrics m = RemovalMetrics.of(manifest(), k -> !removed.contains(k));
        assertEquals(10, m.pairs());
        assertEquals(5, m.kept());
        assertEquals(5, m.removed());
        assertEquals(6, m.defects());
        assertEquals(4, m.defectsRemoved());
        assertEquals(0.8, m.precision(), 1e-15);
        assertEquals(4.0 / 6, m.recall(), 1e-15);
        assertEquals(1, m.cleanRemoved());
        assertEquals(3, m.nearDuplicates());
        assertEquals(2, m.nearDuplicatesRemoved());
        List<RemovalMetrics.DefectRemoval> d = m.byDefect();
        assertEquals(List.of("mismatch", "junk_filename", "junk_generic", "junk_soup",
                "junk_empty"), d.stream().map(RemovalMetrics.DefectRemoval::defect).toList());
        assertEquals(new RemovalMetrics.DefectRemoval("mismatch", 3, 2, 2.0 / 3), d.get(0));
        assertEquals(new RemovalMetrics.DefectRemoval("junk_filename", 1, 1, 1.0), d.get(1));
        assertEquals(new RemovalMetrics.DefectRemoval("junk_soup", 0, 0, null), d.get(3));
        assertEquals(new RemovalMetrics.DefectRemoval("junk_empty", 1, 0, 0.0), d.get(4));
    }

    @Test
    void keepingEverythingHasNoPrecision() {
        RemovalMetrics m = RemovalMetrics.of(manifest(), k -> true);
        assertEquals(0, m.removed());
        assertNull(m.precision());
        assertEquals(0.0, m.recall());
    }

    @Test
    void conceptBalanceByHand() {
        // Kept k0..k3, k5, k8: concepts a a a b c d -> counts {a 3, b 1, c 1, d 1} of 6.
        Set<String> kept = Set.of("k0", "k1", "k2", "k3", "k5", "k8");
        ConceptBalance b = ConceptBalance.of(manifest(), kept::contains, 0.25);
        assertEquals(4, b.concepts());
        assertEquals(4, b.conceptsKept());
        assertEquals(1, b.topConcepts());                      // round(0.25 * 4)
        assertEquals(0.5, b.topShare(), 1e-15);                // a: 3 of 6
        assertEquals(0.5, b.headShare(), 1e-15);
        double h = -(0.5 * Math.log(0.5) + 3 * (1.0 / 6) * Math.log(1.0 / 6));
        assertEquals(h / Math.log(4), b.normalisedEntropy(), 1e-12);
        assertEquals(List.of(3, 1, 1, 1), java.util.Arrays.stream(ConceptBalance.sortedCounts(
                manifest(), kept::contains)).boxed().toList());
        ConceptBalance flat = ConceptBalance.of(manifest(), Set.of("k0", "k3", "k5", "k8")::contains,
                0.25);
        assertEquals(1.0, flat.normalisedEntropy(), 1e-12);
        assertNull(ConceptBalance.of(manifest(), k -> false, 0.25).topShare());
    }
}
