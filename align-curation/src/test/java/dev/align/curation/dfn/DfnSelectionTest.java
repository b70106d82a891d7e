package dev.align.curation.dfn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DfnSelectionTest {

    private static ScoredPair p(String key, float score) {
        return new ScoredPair(key, score);
    }

    @Test
    void keepCountIsTheDecimalFloorOfFractionTimesN() {
        assertEquals(15, DfnSelection.keepCount(100, 0.15)); // binary: 15.000000000000002
        assertEquals(29, DfnSelection.keepCount(100, 0.29)); // binary: 28.999999999999996
        assertEquals(0, DfnSelection.keepCount(6, 0.15));
        assertEquals(1, DfnSelection.keepCount(7, 0.15));
        assertEquals(0, DfnSelection.keepCount(0, 0.5));
        assertEquals(1000, DfnSelection.keepCount(1000, 1.0));
        assertThrows(IllegalArgumentException.class, () -> DfnSelection.keepCount(10, 1.5));
    }

    @Test
    void topFractionBreaksTiesByKeyInCodePointOrder() {
        List<ScoredPair> pairs = List.of(
                p("b", 0.5f), p("a", 0.5f), p("c", 0.9f), p("d", 0.1f), p("e", 0.5f),
                p("f", 0.2f), p("g", 0.3f), p("h", 0.5f), p("i", -0.4f), p("j", 0.0f));
        // rank: c(0.9), a, b, e, h (0.5 by key), g(0.3), f(0.2), d(0.1), j(0.0), i(-0.4)
        assertArrayEquals(new boolean[] {false, true, true, false, false, false, false, false,
                false, false}, DfnSelection.selectTop(pairs, 0.2));
        assertArrayEquals(new boolean[] {true, true, true, false, false, false, false, false,
                false, false}, DfnSelection.selectTop(pairs, 0.3));
        assertArrayEquals(new boolean[] {true, true, true, false, true, false, false, true,
                false, false}, DfnSelection.selectTop(pairs, 0.5));
    }

    @Test
    void selectionIgnoresInputOrder() {
        Random r = new Random(5);
        List<ScoredPair> pairs = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            pairs.add(p(String.format("%05d", r.nextInt(1_000_000)) + "-" + i,
                    r.nextInt(20) / 20f)); // many ties
        }
        boolean[] kept = DfnSelection.selectTop(pairs, 0.15);
        List<ScoredPair> shuffled = new ArrayList<>(pairs);
        Collections.shuffle(shuffled, new Random(9));
        boolean[] kept2 = DfnSelection.selectTop(shuffled, 0.15);
        java.util.Set<String> a = new java.util.TreeSet<>();
        java.util.Set<String> b = new java.util.TreeSet<>();
        for (int i = 0; i < pairs.size(); i++) {
            if (kept[i]) {
                a.add(pairs.get(i).key());
            }
            if (kept2[i]) {
                b.add(shuffled.get(i).key());
            }
        }
        assertEquals(75, a.size());
        assertEquals(a, b);
        // every kept score >= every dropped score
        float minKept = Float.MAX_VALUE;
        float maxDropped = -Float.MAX_VALUE;
        for (int i = 0; i < pairs.size(); i++) {
            if (kept[i]) {
                minKept = Math.min(minKept, pairs.get(i).score());
            } else {
                maxDropped = Math.max(maxDropped, pairs.get(i).score());
            }
        }
        assertTrue(minKept >= maxDropped);
    }

    @Test
    void keysCompareByCodePointNotUtf16Unit() {
        String supplementary = new String(Character.toChars(0x1F600)); // surrogates 0xD83D 0xDE00
        String bmpHigh = "\uFF5E";                                      // 0xFF5E > 0xD83D as UTF-16
        assertTrue(bmpHigh.compareTo(supplementary) > 0);
        assertTrue(DfnSelection.compareKeys(bmpHigh, supplementary) < 0); // 0xFF5E < 0x1F600
        assertTrue(DfnSelection.compareKeys("ab", "abc") < 0);
        assertEquals(0, DfnSelection.compareKeys("abc", "abc"));
    }

    @Test
    void thresholdKeepsScoresAtOrAboveIt() {
        List<ScoredPair> pairs = List.of(p("a", 0.28f), p("b", 0.27999f), p("c", 0.9f), p("d", -1f));
        assertArrayEquals(new boolean[] {true, false, true, false},
                DfnSelection.selectAtLeast(pairs, 0.28));
        // 0.28f is 0.28000000119..., compared as a double
        assertArrayEquals(new boolean[] {false, false, true, false},
                DfnSelection.selectAtLeast(pairs, 0.2800000012));
    }

    @Test
    void rejectsDuplicateKeysAndNonFiniteScores() {
        assertThrows(IllegalArgumentException.class, () -> DfnSelection.selectTop(
                List.of(p("a", 0.1f), p("b", 0.2f), p("a", 0.3f)), 0.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p("x", Float.NaN));
        assertTrue(e.getMessage().contains("'x'"));
    }
}
