package dev.align.models.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Scalar operands that are safe inside an autograd graph.
 *
 * <p>DJL's {@code mul(Number)}, {@code div(Number)}, {@code maximum(Number)} wrap the number in a
 * tensor that points at a Java direct buffer (on CPU, {@code create} does not copy) and close it
 * right after the operation. Autograd saves that tensor for the backward pass (the gradient of
 * {@code x * c} is {@code grad * c}), so once the garbage collector frees the buffer the backward
 * pass reads freed memory: gradients silently change from run to run. Found here as training runs
 * that diverged at a random step only when the heap was small. The scalars made here own their
 * memory (a native copy), so a graph may keep them as long as it likes.
 */
public final class Constants {

    private Constants() {}

    /**
     * A 0-d array holding {@code value} in {@code like}'s dtype and device, owning its memory,
     * attached to {@code like}'s manager (use an activation, not a model parameter, as
     * {@code like}, or the scalar lives as long as the model).
     */
    public static NDArray scalar(NDArray like, double value) {
        NDManager manager = like.getManager();
        DataType type = like.getDataType();
        NDArray owned;
        try (NDArray wrapped = type == DataType.FLOAT64 ? manager.create(value)
                : manager.create((float) value)) {
            owned = wrapped.duplicate();                     // native copy: owns its memory
        }
        if (type != DataType.FLOAT64 && type != DataType.FLOAT32) {
            try (NDArray f = owned) {
                owned = f.toType(type, true);
            }
        }
        return owned;
    }
}
