package dev.align.core.io;

import static dev.align.core.Checks.checkArgument;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor as safetensors stores it: an element type, a shape and the raw little-endian,
 * row-major (C order) bytes. A scalar has shape {@code []} and one element.
 *
 * <p>The bytes are not copied: the record keeps a read-only view of {@code data} from its
 * position to its limit, so a caller that keeps the original buffer must not modify it afterwards.
 * The bytes are interpreted as little-endian whatever order the given buffer is set to.
 * {@link #data()} returns a fresh read-only little-endian view at position 0 on every call, so
 * readers never disturb one another. Equality compares the type, the shape and the bytes, so two
 * NaNs with the same bit pattern are equal and {@code 0.0} differs from {@code -0.0}.
 *
 * @param dtype element type
 * @param shape dimensions, outermost first; each {@code >= 0}; empty for a scalar
 * @param data exactly {@code elementCount() * dtype.byteSize()} bytes
 */
public record TensorData(DType dtype, long[] shape, ByteBuffer data) {

    /**
     * Checks that the bytes match the shape and keeps a read-only view of them.
     *
     * @throws IllegalArgumentException if a dimension is negative, the element count overflows,
     *     or the number of bytes is not {@code elementCount * dtype.byteSize()}
     */
    public TensorData {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        shape = shape.clone();
        long expectedBytes = byteCount(dtype, shape);
        checkArgument(data.remaining() == expectedBytes,
                "%s tensor of shape %s needs %s bytes but data has %s bytes",
                dtype, Arrays.toString(shape), expectedBytes, data.remaining());
        data = data.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * A float32 tensor.
     *
     * @param shape dimensions; their product must equal {@code values.length}
     * @param values the elements in row-major order (copied)
     */
    public static TensorData ofFloats(long[] shape, float[] values) {
        ByteBuffer bytes = allocate(DType.F32, shape, values.length);
        bytes.asFloatBuffer().put(values);
        return new TensorData(DType.F32, shape, bytes);
    }

    /**
     * A float64 tensor.
     *
     * @param shape dimensions; their product must equal {@code values.length}
     * @param values the elements in row-major order (copied)
     */
    public static TensorData ofDoubles(long[] shape, double[] values) {
        ByteBuffer bytes = allocate(DType.F64, shape, values.length);
        bytes.asDoubleBuffer().put(values);
        return new TensorData(DType.F64, shape, bytes);
    }

    /**
     * An int64 tensor.
     *
     * @param shape dimensions; their product must equal {@code values.length}
     * @param values the elements in row-major order (copied)
     */
    public static TensorData ofLongs(long[] shape, long[] values) {
        ByteBuffer bytes = allocate(DType.I64, shape, values.length);
        bytes.asLongBuffer().put(values);
        return new TensorData(DType.I64, shape, bytes);
    }

    /**
     * An int32 tensor.
     *
     * @param shape dimensions; their product must equal {@code values.length}
     * @param values the elements in row-major order (copied)
     */
    public static TensorData ofInts(long[] shape, int[] values) {
        ByteBuffer bytes = allocate(DType.I32, shape, values.length);
        bytes.asIntBuffer().put(values);
        return new TensorData(DType.I32, shape, bytes);
    }

    /** The dimensions, outermost first (a copy). */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** A read-only little-endian view of the bytes, at position 0, independent of other views. */
    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The number of elements: the product of the shape, 1 for a scalar. */
    public long elementCount() {
        return elementCount(shape);
    }

    /** The number of bytes: {@code elementCount() * dtype().byteSize()}. */
    public long byteCount() {
        return data.remaining();
    }

    /**
     * The elements as floats. F32 is returned as stored; F16 and BF16 are widened, which is exact.
     *
     * @throws IllegalStateException for any other type: F64 would lose precision (use
     *     {@link #toDoubleArray()}), integers are not floats (use {@link #toLongArray()})
     */
    public float[] toFloatArray() {
        ByteBuffer bytes = data();
        float[] out = new float[(int) elementCount()];
        switch (dtype) {
            case F32 -> bytes.asFloatBuffer().get(out);
            case F16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = halfToFloat(bytes.getShort());
                }
            }
            case BF16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.intBitsToFloat((bytes.getShort() & 0xffff) << 16);
                }
            }
            default -> throw wrongType("toFloatArray()", "F32, F16 or BF16");
        }
        return out;
    }

    /**
     * The elements as doubles. F64 is returned as stored; F32, F16 and BF16 are widened exactly.
     *
     * @throws IllegalStateException for integer types (use {@link #toLongArray()})
     */
    public double[] toDoubleArray() {
        if (dtype == DType.F64) {
            double[] out = new double[(int) elementCount()];
            data().asDoubleBuffer().get(out);
            return out;
        }
        if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16) {
            throw wrongType("toDoubleArray()", "F64, F32, F16 or BF16");
        }
        float[] floats = toFloatArray();
        double[] out = new double[floats.length];
        for (int i = 0; i < floats.length; i++) {
            out[i] = floats[i];
        }
        return out;
    }

    /**
     * The elements as longs. I64 is returned as stored; I32, I16, I8 (signed) and U8 (unsigned)
     * are widened exactly.
     *
     * @throws IllegalStateException for floating-point types and BOOL
     */
    public long[] toLongArray() {
        ByteBuffer bytes = data();
        long[] out = new long[(int) elementCount()];
        switch (dtype) {
            case I64 -> bytes.asLongBuffer().get(out);
            case I32 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = bytes.getInt();
                }
            }
            case I16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = bytes.getShort();
                }
            }
            case I8 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = bytes.get();
                }
            }
            case U8 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = bytes.get() & 0xff;
                }
            }
            default -> throw wrongType("toLongArray()", "I64, I32, I16, I8 or U8");
        }
        return out;
    }

    /** Equal when the type, the shape and every byte are equal. */
    @Override
    public boolean equals(Object other) {
        return other instanceof TensorData that
                && dtype == that.dtype
                && Arrays.equals(shape, that.shape)
                && data.equals(that.data);
    }

    /** Consistent with {@link #equals(Object)}; reads every byte. */
    @Override
    public int hashCode() {
        return Objects.hash(dtype, Arrays.hashCode(shape), data);
    }

    /** Type, shape and size, such as {@code TensorData[F32 [2, 3], 24 bytes]}; not the values. */
    @Override
    public String toString() {
        return "TensorData[" + dtype + " " + Arrays.toString(shape) + ", " + byteCount()
                + " bytes]";
    }

    /**
     * Bytes a tensor of this type and shape occupies.
     *
     * @throws IllegalArgumentException if a dimension is negative or the count overflows a long
     */
    static long byteCount(DType dtype, long[] shape) {
        try {
            return Math.multiplyExact(elementCount(shape), dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(String.format(
                    "%s tensor of shape %s has more bytes than a long can count",
                    dtype, Arrays.toString(shape)), e);
        }
    }

    private static long elementCount(long[] shape) {
        long count = 1;
        for (long dimension : shape) {
            checkArgument(dimension >= 0, "shape %s has a negative dimension %s",
                    Arrays.toString(shape), dimension);
            try {
                count = Math.multiplyExact(count, dimension);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(String.format(
                        "shape %s has more elements than a long can count",
                        Arrays.toString(shape)), e);
            }
        }
        return count;
    }

    private static ByteBuffer allocate(DType dtype, long[] shape, int valueCount) {
        Objects.requireNonNull(shape, "shape");
        long count = elementCount(shape);
        checkArgument(count == valueCount, "shape %s has %s elements but %s values were given",
                Arrays.toString(shape), count, valueCount);
        return ByteBuffer.allocate(Math.multiplyExact(valueCount, dtype.byteSize()))
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    /** IEEE 754 binary16 to binary32, exactly, keeping NaN payloads (JDK 20 has this built in). */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) { // infinity or NaN
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) { // zero or subnormal: mantissa * 2^-24, exact in binary32
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        // Normal: rebias the exponent from 15 to 127.
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    private IllegalStateException wrongType(String method, String supported) {
        return new IllegalStateException(String.format(
                "%s needs a %s tensor but this one is %s", method, supported, dtype));
    }
}
