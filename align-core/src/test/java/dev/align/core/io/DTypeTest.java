package dev.align.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DTypeTest {

    @Test
    void codesRoundTrip() {
        for (DType type : DType.values()) {
            assertEquals(type, DType.fromCode(type.code()));
            assertEquals(type.name(), type.code());
        }
    }

    @Test
    void byteSizesMatchTheFormat() {
        assertEquals(8, DType.F64.byteSize());
        assertEquals(4, DType.F32.byteSize());
        assertEquals(2, DType.F16.byteSize());
        assertEquals(2, DType.BF16.byteSize());
        assertEquals(8, DType.I64.byteSize());
        assertEquals(4, DType.I32.byteSize());
        assertEquals(2, DType.I16.byteSize());
        assertEquals(1, DType.I8.byteSize());
        assertEquals(1, DType.U8.byteSize());
        assertEquals(1, DType.BOOL.byteSize());
    }

    @Test
    void rejectsUnknownCodeNamingIt() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> DType.fromCode("f32"));
        assertTrue(e.getMessage().contains("'f32'"), e.getMessage());
        assertTrue(e.getMessage().contains("BF16"), e.getMessage());
        assertNull(DType.lookup("U16"));
        assertNull(DType.lookup(null));
    }

    @Test
    void referenceRankGrowsWithAlignment() {
        // The reference writer puts larger alignments first; a larger byte size must never rank
        // below a smaller one, or tensors would end up misaligned.
        for (DType a : DType.values()) {
            for (DType b : DType.values()) {
                if (a.byteSize() > b.byteSize()) {
                    assertTrue(a.referenceRank() > b.referenceRank(), a + " vs " + b);
                }
            }
        }
    }
}
