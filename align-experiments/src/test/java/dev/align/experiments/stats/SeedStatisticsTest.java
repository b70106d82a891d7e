package dev.align.experiments.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeedStatisticsTest {

    @Test
    void meanAndSampleStandardDeviationByHand() {
        // {1, 2, 4}: mean 7/3, squared deviations 16/9 + 1/9 + 25/9 = 42/9 over n - 1 = 2.
        SeedStatistics.Summary s = SeedStatistics.summarise(new double[] {1, 2, 4});
        assertEquals(3, s.n());
        assertEquals(7.0 / 3, s.mean(), 1e-15);
        assertEquals(Math.sqrt(7.0 / 3), s.sd(), 1e-15);
        assertNull(SeedStatistics.summarise(new double[] {0.5}).sd());
    }

    @Test
    void pairedTIntervalByHand() {
        // Differences {0.05, 0.08, 0.07}: mean 0.2/3, sd sqrt(0.00046667/2); t(0.975; 2) =
        // 4.302652729749464 (tables; scipy.stats.t.ppf(0.975, 2)).
        double[] arm = {0.30, 0.35, 0.40};
        double[] raw = {0.25, 0.27, 0.33};
        SeedStatistics.PairedDifference d = SeedStatistics.paired(arm, raw, 0.95);
        double mean = 0.2 / 3;
        double sd = Math.sqrt((Math.pow(0.05 - mean, 2) + Math.pow(0.08 - mean, 2)
                + Math.pow(0.07 - mean, 2)) / 2);
        double half = 4.302652729749464 * sd / Math.sqrt(3);
        assertEquals(3, d.n());
        assertEquals(mean, d.mean(), 1e-12);
        assertEquals(sd, d.sd(), 1e-12);
        assertEquals(mean - half, d.low(), 1e-9);
        assertEquals(mean + half, d.high(), 1e-9);
        assertEquals(0.028720, d.low(), 1e-6);                 // computed by hand: 0.0666667 -
        assertEquals(0.104613, d.high(), 1e-6);                // 4.302653 * 0.0152753 / 1.73205
        assertTrue(d.significant());
    }

    @Test
    void anIntervalAcrossZeroIsNoise() {
        SeedStatistics.PairedDifference d = SeedStatistics.paired(new double[] {0.31, 0.29, 0.36},
                new double[] {0.30, 0.33, 0.33}, 0.95);
        assertTrue(d.low() < 0 && d.high() > 0);
        assertFalse(d.significant());
    }

    @Test
    void twoSeedsUseTheirOwnQuantile() {
        // n = 2: t(0.975; 1) = 12.706204736174705; differences {0.1, 0.2}: sd = 0.0707107.
        SeedStatistics.PairedDifference d = SeedStatistics.paired(new double[] {0.6, 0.8},
                new double[] {0.5, 0.6}, 0.95);
        double half = 12.706204736174705 * Math.sqrt(0.005) / Math.sqrt(2);
        assertEquals(0.15 - half, d.low(), 1e-9);
        assertEquals(0.15 + half, d.high(), 1e-9);
        assertFalse(d.significant());
    }

    @Test
    void oneSeedOrNoSpreadGivesNoVerdict() {
        SeedStatistics.PairedDifference one = SeedStatistics.paired(new double[] {0.4},
                new double[] {0.3}, 0.95);
        assertEquals(0.1, one.mean(), 1e-15);
        assertNull(one.sd());
        assertNull(one.low());
        assertFalse(one.significant());
        SeedStatistics.PairedDifference flat = SeedStatistics.paired(new double[] {0.4, 0.5},
                new double[] {0.35, 0.45}, 0.95);
        assertEquals(0.0, flat.sd(), 1e-12);
        assertFalse(flat.significant(), "a zero spread over seeds is no estimate of the noise");
    }

    @Test
    void rejectsUnpairedValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SeedStatistics.paired(new double[] {1, 2}, new double[] {1}, 0.95));
        assertTrue(e.getMessage().contains("same number"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SeedStatistics.summarise(new double[0]));
    }
}
