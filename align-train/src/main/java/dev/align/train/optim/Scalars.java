package dev.align.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * 0-d arrays in a given dtype. DJL's {@code muli(Number)} creates a FLOAT64 scalar for a
 * {@code double}, which PyTorch's type promotion then applies to 0-d float32 weights in float64;
 * scalars of the weight's own dtype keep every update in the weight's precision, as PyTorch's
 * Python-number arguments do.
 */
final class Scalars {

    private Scalars() {}

    /** A 0-d array holding {@code value} rounded to {@code dtype} (FLOAT32 or FLOAT64). */
    static NDArray of(NDManager manager, double value, DataType dtype) {
        if (dtype == DataType.FLOAT64) {
            return manager.create(value);
        }
        if (dtype == DataType.FLOAT32) {
            return manager.create((float) value);
        }
        try (NDArray wide = manager.create(value)) {
            return wide.toType(dtype, true);
        }
    }
}
