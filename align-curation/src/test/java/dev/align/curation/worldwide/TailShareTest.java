package dev.align.curation.worldwide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.curation.metaclip.EntryCounts;
import org.junit.jupiter.api.Test;

class TailShareTest {

    /** English: counts 1, 2, 3, 4, 10 (and one unmatched entry), 20 matches in all. */
    private static final EntryCounts EN = EntryCounts.of(new long[] {1, 2, 3, 4, 10, 0});

    @Test
    void tailShareIsTheMatchesOfEntriesBelowT() {
        assertEquals(6 / 20.0, TailShare.tToP(EN, 4), 1e-15);       // 1 + 2 + 3 below 4
        assertEquals(10 / 20.0, TailShare.tToP(EN, 5), 1e-15);      // + 4
        assertEquals(0.0, TailShare.tToP(EN, 1), 1e-15);
        assertEquals(1.0, TailShare.tToP(EN, 11), 1e-15);
    }

    /**
     * German counts 5, 1, 1, 3, 10: sorted 1, 1, 3, 5, 10, cumulative portions .05, .10, .25,
     * .50, 1; the one nearest p = 0.3 is .25 (gap .05), so t = 3.
     */
    @Test
    void thresholdIsTheCountWhoseCumulativePortionIsNearestP() {
        EntryCounts de = EntryCounts.of(new long[] {5, 1, 1, 3, 10});
        assertEquals(3, TailShare.pToT(de, 0.3));
        assertEquals(3, TailShare.pToT(de, TailShare.tToP(EN, 4)));
        assertEquals(1, TailShare.pToT(de, 0.0));                   // portion .05 is nearest
        assertEquals(10, TailShare.pToT(de, 1.0));
        assertEquals(5, TailShare.pToT(de, 0.5));
        // Japanese 2, 2: portions .5, 1; p = .3 is nearest .5: t = 2.
        assertEquals(2, TailShare.pToT(EntryCounts.of(new long[] {2, 2}), 0.3));
    }

    /** Counts 1, 1, 2: portions .25, .5, 1; p = .375 is equally near .25 and .5: the first wins. */
    @Test
    void tiesGoToTheFirstSortedCountAndZerosAreLeftOut() {
        assertEquals(1, TailShare.pToT(EntryCounts.of(new long[] {2, 1, 1}), 0.375));
        // Without leaving unmatched entries out, portion 0 would make t = 0 for p = 0.
        assertEquals(5, TailShare.pToT(EntryCounts.of(new long[] {0, 5, 0, 7}), 0.0));
    }

    @Test
    void rejectsUndefinedSharesWithClearMessages() {
        EntryCounts none = EntryCounts.of(new long[] {0, 0});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TailShare.tToP(none, 5))
                .getMessage().contains("matched"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TailShare.pToT(EN, 1.5))
                .getMessage().contains("1.5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TailShareTest.zero())
                .getMessage().contains("got 0"));
    }

    private static double zero() {
        return TailShare.tToP(EN, 0);
    }
}
