package dev.align.experiments.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NoiseInjectorTest {

    static final List<PoolItem> ITEMS = Items.items(100, 100);    // 300 pairs, 200 concepts
    static final NoiseConfig NOISE = NoiseConfig.defaults();
    static Set<String> candidates;
    static NoiseInjector.Result pool;

    @BeforeAll
    static void build() {
        candidates = new HashSet<>();
        for (int c = 0; c < 60; c++) {
            candidates.add(Items.concept(c));          // the first 60 emoji can become head
        }
        pool = NoiseInjector.build(ITEMS, candidates, Map.of("emoji", 0.1, "mdi", 0.1), NOISE, 7);
    }

    @Test
    void sameSeedSamePoolByteForByte() {
        NoiseInjector.Result again = NoiseInjector.build(ITEMS, candidates, Map.of("emoji", 0.1,
                "mdi", 0.1), NOISE, 7);
        assertEquals(pool.manifest(), again.manifest());
        assertEquals(pool.summary(), again.summary());
        for (int i = 0; i < pool.images().size(); i++) {
            assertArrayEquals(pool.images().get(i), again.images().get(i), "image " + i);
        }
        NoiseInjector.Result other = NoiseInjector.build(ITEMS, candidates, Map.of("emoji", 0.1,
                "mdi", 0.1), NOISE, 8);
        assertNotEquals(pool.manifest(), other.manifest());
    }

    @Test
    void cleanSetIsHeldOutByConceptAndDisjointFromThePool() {
        // 10% of 100 emoji concepts (2 pairs each) and of 100 icons (1 pair each).
        assertEquals(Map.of("emoji", 10, "mdi", 10), pool.summary().heldOutConcepts());
        assertEquals(Map.of("emoji", 20, "mdi", 10), pool.summary().cleanPairsBySource());
        Set<String> poolConcepts = new HashSet<>();
        pool.manifest().forEach(e -> poolConcepts.add(e.concept()));
        for (PoolItem it : pool.cleanSet()) {
            assertFalse(poolConcepts.contains(it.concept()), it.concept() + " is in both");
        }
        assertEquals(180, pool.summary().concepts());
    }

    @Test
    void longTailHasTheAskedShapeAndHeadsAreCandidates() {
        PoolSummary s = pool.summary();
        // 2% of 180 pool concepts, rounded: 4 head concepts, all among the candidates.
        assertEquals(4, s.headConcepts().size());
        assertTrue(candidates.containsAll(s.headConcepts()));
        // Base: 270 pairs, 8 of them head; copies c solve (8 + c) / (270 + c) = 0.4.
        int copies = (int) Math.round((0.4 * 262 - 0.6 * 8) / 0.6);
        assertEquals(copies, s.nearDuplicates());
        assertEquals(270 + copies, s.pairs());
        assertEquals(8 + copies, s.headPairs());
        assertEquals(0.4, s.headPairs() / (double) s.pairs(), 1.0 / s.pairs());
        int head = 0;
        for (ManifestEntry e : pool.manifest()) {
            assertEquals(s.headConcepts().contains(e.concept()), e.head(), e.key());
            head += e.head() ? 1 : 0;
        }
        assertEquals(s.headPairs(), head);
    }

    @Test
    void nearDuplicatesAreJitteredCopiesOfTheirOriginal() {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < pool.manifest().size(); i++) {
            index.put(pool.manifest().get(i).key(), i);
        }
        int n = 0;
        for (int i = 0; i < pool.manifest().size(); i++) {
            ManifestEntry e = pool.manifest().get(i);
            if (!e.nearDuplicate()) {
                assertNull(e.jitter());
                continue;
            }
            n++;
            int o = index.get(e.nearDuplicateOf());
            ManifestEntry original = pool.manifest().get(o);
            assertFalse(original.nearDuplicate(), "a copy is made of an original drawing");
            assertEquals(original.concept(), e.concept());
            assertTrue(e.head());
            byte[] copy = pool.images().get(i);
            byte[] source = pool.images().get(o);
            assertFalse(java.util.Arrays.equals(copy, source), e.key() + " is a byte copy");
            BufferedImage a = NoiseInjector.decode(copy);
            BufferedImage b = NoiseInjector.decode(source);
            // The copy is exactly the recorded jitter applied to the original, a light one:
            // within the configured bounds.
            assertEquals(0.0, meanAbsDiff(a, e.jitter().apply(b)));
            Jitter j = e.jitter();
            assertTrue(Math.abs(j.dx()) <= NOISE.jitterShift() && Math.abs(j.dy())
                    <= NOISE.jitterShift() && j.scale() >= 1 - NOISE.jitterScale()
                    && Math.abs(j.brightness() - 1) <= NOISE.jitterBrightness(), j.toString());
            assertTrue(meanAbsDiff(a, b) > 0);
        }
        assertEquals(pool.summary().nearDuplicates(), n);
    }

    @Test
    void defectCountsAreExactAndEveryInjectedPairVerifiable() {
        int n = pool.manifest().size();
        Map<Defect, Integer> count = new TreeMap<>();
        Map<String, ManifestEntry> byKey = new HashMap<>();
        pool.manifest().forEach(e -> byKey.put(e.key(), e));
        for (ManifestEntry e : pool.manifest()) {
            count.merge(e.defect(), 1, Integer::sum);
            switch (e.defect()) {
                case NONE -> assertEquals(e.originalCaption(), e.caption(), e.key());
                case MISMATCH -> {
                    ManifestEntry donor = byKey.get(e.captionFrom());
                    assertNotNull(donor, e.key());
                    assertEquals(donor.originalCaption(), e.caption(), e.key());
                    assertNotEquals(donor.concept(), e.concept(), e.key());
                }
                case JUNK_GENERIC -> assertTrue(JunkCaptions.GENERIC.contains(e.caption()));
                case JUNK_EMPTY -> assertTrue(JunkCaptions.EMPTY.contains(e.caption()));
                case JUNK_FILENAME -> assertTrue(e.caption().matches(
                        "(IMG_\\d{4}|DSC\\d{5}|image\\d+|Screenshot [\\d-]+ at [\\d.]+|[0-9a-f]{8}"
                                + "|download \\(\\d+\\)|icon-\\d+x\\d+)\\.(png|jpg|JPG|jpeg|gif)"),
                        e.caption());
                case JUNK_SOUP -> {
                    Set<String> own = new HashSet<>(List.of(e.originalCaption().toLowerCase()
                            .split("[^\\p{L}\\p{N}]+")));
                    for (String w : e.caption().split(" ")) {
                        assertTrue(JunkCaptions.SOUP.contains(w) || own.contains(w),
                                e.caption() + " has " + w);
                    }
                }
            }
            if (e.defect() != Defect.MISMATCH) {
                assertNull(e.captionFrom());
            }
        }
        assertEquals((int) Math.round(0.30 * n), count.get(Defect.MISMATCH));
        int junk = (int) Math.round(0.15 * n);
        int junkTotal = 0;
        for (Defect d : Defect.JUNK) {
            int c = count.get(d);
            junkTotal += c;
            assertTrue(Math.abs(c - junk / 4.0) <= 1, d + " " + c);   // an even split
        }
        assertEquals(junk, junkTotal);
        Map<String, Integer> labels = new TreeMap<>();
        count.forEach((d, c) -> labels.put(d.label(), c));
        assertEquals(labels, pool.summary().pairsByDefect());
    }

    @Test
    void keysFollowASeededRandomOrder() {
        List<ManifestEntry> m = pool.manifest();
        for (int i = 0; i < m.size(); i++) {
            assertEquals(NoiseInjector.key(i), m.get(i).key());
        }
        // Input order is all emoji, then all icons, then the copies; the pool's is mixed.
        int switches = 0;
        for (int i = 1; i < m.size(); i++) {
            switches += m.get(i).source().equals(m.get(i - 1).source()) ? 0 : 1;
        }
        assertTrue(switches > m.size() / 5, "only " + switches + " source switches");
    }

    @Test
    void rejectsAPoolOfOneConcept() {
        List<PoolItem> one = List.of(Items.items(1, 0).get(0), Items.items(1, 0).get(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NoiseInjector.build(one, Set.of(), Map.of(), NOISE, 0));
        assertTrue(e.getMessage().contains("cannot mismatch"), e.getMessage());
    }

    static double meanAbsDiff(BufferedImage a, BufferedImage b) {
        assertEquals(a.getWidth(), b.getWidth());
        double sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int s = 0; s < 24; s += 8) {
                    sum += Math.abs(((p >> s) & 0xFF) - ((q >> s) & 0xFF));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }
}
