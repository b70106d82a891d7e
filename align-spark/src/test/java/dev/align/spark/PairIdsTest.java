package dev.align.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PairIdsTest {

    /** Golden values from an independent Python implementation of FNV-1a 64 + SplitMix64. */
    @Test
    void matchesTheDocumentedHashOnUtf8Bytes() {
        assertEquals(-780787492076525413L, PairIds.of(""));
        assertEquals(-2431844782294842625L, PairIds.of("000000123"));
        assertEquals(-5274538467581736664L, PairIds.of("part1/000123"));
        assertEquals(7237068073283862305L, PairIds.of("s000097-é"));
        assertEquals(8638792154450581254L, PairIds.of("日本語"));
    }

    @Test
    void nullKeyIsRejectedWithWhatToDo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PairIds.of(null));
        assertTrue(e.getMessage().contains("every pair needs a key"), e.getMessage());
    }
}
