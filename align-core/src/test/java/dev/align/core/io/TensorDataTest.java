package dev.align.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

class TensorDataTest {

    @Test
    void floatsAreStoredLittleEndianRowMajor() {
        TensorData t = TensorData.ofFloats(new long[] {2}, new float[] {1.0f, 2.0f});
        byte[] bytes = new byte[8];
        t.data().get(bytes);
        // 1.0f = 0x3f800000, 2.0f = 0x40000000, least significant byte first.
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3f, 0, 0, 0, 0x40}, bytes);
        assertEquals(2, t.elementCount());
        assertEquals(8, t.byteCount());
    }

    @Test
    void factoriesRoundTripTheirValues() {
        float[] floats = {1.5f, -0.0f, Float.NaN, Float.MIN_VALUE, Float.MAX_VALUE, 3f};
        assertArrayEquals(floats, TensorData.ofFloats(new long[] {2, 3}, floats).toFloatArray());
        double[] doubles = {Math.PI, -Double.MIN_VALUE};
        assertArrayEquals(doubles, TensorData.ofDoubles(new long[] {2}, doubles).toDoubleArray());
        long[] longs = {Long.MIN_VALUE, 0, Long.MAX_VALUE};
        assertArrayEquals(longs, TensorData.ofLongs(new long[] {3}, longs).toLongArray());
        int[] ints = {Integer.MIN_VALUE, -1, 7};
        assertArrayEquals(new long[] {Integer.MIN_VALUE, -1, 7},
                TensorData.ofInts(new long[] {3}, ints).toLongArray());
    }

    @Test
    void scalarHasEmptyShapeAndOneElement() {
        TensorData scalar = TensorData.ofDoubles(new long[0], new double[] {2.5});
        assertEquals(1, scalar.elementCount());
        assertEquals(0, scalar.shape().length);
        assertArrayEquals(new double[] {2.5}, scalar.toDoubleArray());
    }

    @Test
    void zeroSizedDimensionHasNoBytes() {
        TensorData empty = TensorData.ofFloats(new long[] {3, 0}, new float[0]);
        assertEquals(0, empty.elementCount());
        assertEquals(0, empty.byteCount());
    }

    @Test
    void rejectsByteCountThatDoesNotMatchShapeNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TensorData(DType.F32, new long[] {2, 3}, ByteBuffer.allocate(20)));
        assertEquals("F32 tensor of shape [2, 3] needs 24 bytes but data has 20 bytes",
                e.getMessage());
    }

    @Test
    void rejectsValueCountThatDoesNotMatchShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TensorData.ofFloats(new long[] {2, 2}, new float[3]));
        assertEquals("shape [2, 2] has 4 elements but 3 values were given", e.getMessage());
    }

    @Test
    void rejectsNegativeDimension() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TensorData(DType.U8, new long[] {2, -1}, ByteBuffer.allocate(0)));
        assertEquals("shape [2, -1] has a negative dimension -1", e.getMessage());
    }

    @Test
    void rejectsElementCountOverflow() {
        long big = 1L << 32;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TensorData(DType.U8, new long[] {big, big}, ByteBuffer.allocate(0)));
        assertTrue(e.getMessage().contains("more elements than a long"), e.getMessage());
        IllegalArgumentException bytes = assertThrows(IllegalArgumentException.class,
                () -> new TensorData(DType.F64, new long[] {1L << 61}, ByteBuffer.allocate(0)));
        assertTrue(bytes.getMessage().contains("more bytes than a long"), bytes.getMessage());
    }

    @Test
    void isImmutable() {
        long[] shape = {2};
        float[] values = {1f, 2f};
        TensorData t = TensorData.ofFloats(shape, values);
        shape[0] = 5;
        values[0] = 9f;
        t.shape()[0] = 7;
        ByteBuffer view = t.data();
        view.getFloat(); // moving one view's position leaves the next view at 0
        assertEquals(2, t.shape()[0]);
        assertArrayEquals(new float[] {1f, 2f}, t.toFloatArray());
        assertEquals(0, t.data().position());
        assertThrows(ReadOnlyBufferException.class, () -> t.data().put(0, (byte) 1));
    }

    @Test
    void readsBytesFromPositionAsLittleEndianWhateverTheBufferOrder() {
        ByteBuffer big = ByteBuffer.allocate(12).order(ByteOrder.BIG_ENDIAN);
        big.putInt(0xdeadbeef); // skipped: the tensor starts at the position
        big.order(ByteOrder.LITTLE_ENDIAN).putFloat(1f).putFloat(2f);
        big.position(4);
        TensorData t = new TensorData(DType.F32, new long[] {2}, big.order(ByteOrder.BIG_ENDIAN));
        assertArrayEquals(new float[] {1f, 2f}, t.toFloatArray());
    }

    @Test
    void equalityComparesTypeShapeAndBytes() {
        TensorData a = TensorData.ofFloats(new long[] {2}, new float[] {1f, 2f});
        TensorData same = TensorData.ofFloats(new long[] {2}, new float[] {1f, 2f});
        assertEquals(a, same);
        assertEquals(a.hashCode(), same.hashCode());
        assertNotEquals(a, TensorData.ofFloats(new long[] {1, 2}, new float[] {1f, 2f}));
        assertNotEquals(a, TensorData.ofFloats(new long[] {2}, new float[] {1f, 3f}));
        assertNotEquals(a, new TensorData(DType.I32, new long[] {2}, a.data()));
        assertNotEquals(TensorData.ofFloats(new long[0], new float[] {0f}),
                TensorData.ofFloats(new long[0], new float[] {-0f}));
        assertEquals("TensorData[F32 [2], 8 bytes]", a.toString());
    }

    @Test
    void halfPrecisionWidensExactlyForEveryBitPattern() {
        for (int bits = 0; bits < 1 << 16; bits++) {
            float actual = TensorData.halfToFloat((short) bits);
            int sign = bits >>> 15;
            int exponent = (bits >>> 10) & 0x1f;
            int mantissa = bits & 0x3ff;
            double magnitude;
            if (exponent == 0x1f) {
                magnitude = mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
            } else if (exponent == 0) {
                magnitude = mantissa * Math.pow(2, -24);
            } else {
                magnitude = (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
            }
            float expected = (float) (sign == 1 ? -magnitude : magnitude);
            if (Float.isNaN(expected)) {
                assertTrue(Float.isNaN(actual), Integer.toHexString(bits));
            } else {
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual),
                        Integer.toHexString(bits));
            }
        }
    }

    @Test
    void halfAndBfloat16ConvertToFloat() {
        ByteBuffer half = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        half.putShort((short) 0x3c00).putShort((short) 0xc000)   // 1, -2
                .putShort((short) 0x7bff).putShort((short) 0x0001); // 65504, 2^-24
        assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f},
                new TensorData(DType.F16, new long[] {4}, half.flip()).toFloatArray());
        ByteBuffer bf16 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        bf16.putShort((short) 0x3f80).putShort((short) 0xc040); // 1, -3
        TensorData b = new TensorData(DType.BF16, new long[] {2}, bf16.flip());
        assertArrayEquals(new float[] {1f, -3f}, b.toFloatArray());
        assertArrayEquals(new double[] {1.0, -3.0}, b.toDoubleArray());
    }

    @Test
    void smallIntegersWidenToLongWithTheirSignedness() {
        byte[] raw = {-1, 127};
        assertArrayEquals(new long[] {-1, 127},
                new TensorData(DType.I8, new long[] {2}, ByteBuffer.wrap(raw)).toLongArray());
        assertArrayEquals(new long[] {255, 127},
                new TensorData(DType.U8, new long[] {2}, ByteBuffer.wrap(raw)).toLongArray());
        assertArrayEquals(new long[] {0x7fff},
                new TensorData(DType.I16, new long[] {1}, ByteBuffer.wrap(raw)).toLongArray());
    }

    @Test
    void conversionToTheWrongKindNamesTheType() {
        TensorData doubles = TensorData.ofDoubles(new long[] {1}, new double[] {0.1});
        IllegalStateException e = assertThrows(IllegalStateException.class, doubles::toFloatArray);
        assertEquals("toFloatArray() needs a F32, F16 or BF16 tensor but this one is F64",
                e.getMessage());
        TensorData longs = TensorData.ofLongs(new long[] {1}, new long[] {1});
        assertThrows(IllegalStateException.class, longs::toDoubleArray);
        assertThrows(IllegalStateException.class, doubles::toLongArray);
    }
}
