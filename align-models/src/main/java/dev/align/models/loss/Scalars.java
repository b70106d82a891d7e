package dev.align.models.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Java numbers in an array's precision. DJL turns a {@code double} operand into a float64
 * scalar, and two 0-d tensors promote to float64, so a float32 loss would silently become
 * float64 without this.
 */
final class Scalars {

    private Scalars() {}

    /** {@code value} as a {@code double} for float64 arrays, a {@code float} otherwise. */
    static Number like(NDArray array, double value) {
        return array.getDataType() == DataType.FLOAT64 ? (Number) value : (Number) (float) value;
    }
}
