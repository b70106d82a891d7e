package dev.align.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Engine-level access to a leaf's {@code .grad} that DJL's {@link NDArray} API lacks: telling an
 * absent gradient from a zero one, zeroing it, and a no-grad region for in-place weight updates.
 */
final class Gradients {

    private Gradients() {}

    /**
     * A new handle on {@code weight}'s gradient (the caller closes it), or {@code null} when no
     * backward pass has reached it yet. {@link NDArray#getGradient()} cannot tell: for an
     * undefined {@code .grad} it returns a fresh FLOAT32 zeros array in the weight's manager.
     */
    static NDArray gradientOrNull(NDArray weight) {
        if (!weight.hasGradient()) {
            return null;
        }
        if (weight instanceof PtNDArray pt) {
            return JniUtils.getGradient(pt);
        }
        return weight.getGradient();
    }

    /** {@code weight.grad.zero_()} under no-grad (a no-op when the gradient is undefined). */
    static void zero(NDArray weight) {
        if (weight instanceof PtNDArray pt) {
            JniUtils.zeroGrad(pt);
        } else {
            try (NDArray g = weight.getGradient()) {
                g.subi(g);
            }
        }
    }

    /**
     * Turns PyTorch's grad mode off on this thread until closed, then restores it. In-place
     * updates of a leaf that requires grad throw while grad mode is on; DJL turns it off only on
     * the thread that loaded the engine, and a {@code GradientCollector} turns it on.
     */
    static NoGrad noGrad() {
        return new NoGrad();
    }

    /** See {@link #noGrad()}. */
    static final class NoGrad implements AutoCloseable {
        private final boolean previous;

        private NoGrad() {
            previous = JniUtils.isGradMode();
            if (previous) {
                JniUtils.setGradMode(false);
            }
        }

        @Override
        public void close() {
            if (previous) {
                JniUtils.setGradMode(true);
            }
        }
    }
}
