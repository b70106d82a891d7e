package dev.align.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SplitMix64Test {

    @Test
    void equalsTheJdksSplittableRandom() {
        // new SplittableRandom(s).nextLong() is mix(s + GOLDEN_GAMMA): an independent reference
        for (long s : new long[] {0, 1, -1, 42, Long.MIN_VALUE, Long.MAX_VALUE, 0x632BE59BD9B4E019L}) {
            assertEquals(new SplittableRandom(s).nextLong(), SplitMix64.mix(s + SplitMix64.GOLDEN_GAMMA),
                    "seed " + s);
        }
    }

    @Test
    void matchesGoldenValues() {
        // from a Python transcription of the finaliser on unsigned 64-bit integers
        assertEquals(0L, SplitMix64.mix(0));
        assertEquals(6238072747940578789L, SplitMix64.mix(1));
        assertEquals(-6387817139659442654L, SplitMix64.mix(42));
        assertEquals(-5417735806833148549L, SplitMix64.mix(-1));
        assertEquals(-2152535657050944081L, SplitMix64.mix(SplitMix64.GOLDEN_GAMMA));
    }
}
