package dev.align.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import java.util.Collection;

/**
 * Gradient clipping by global L2 norm, with the semantics of PyTorch's
 * {@code torch.nn.utils.clip_grad_norm_} (norm type 2), which OpenCLIP applies before each
 * optimizer step when {@code --grad-clip-norm} is set. DJL's own {@code optClipGrad} is an
 * element-wise, one-sided {@code clamp_max} and must not be used for this.
 */
public final class GradClip {

    private GradClip() {}

    /**
     * Computes the global L2 norm of all present gradients and, when it exceeds {@code maxNorm},
     * scales every gradient in place by {@code maxNorm / (norm + 1e-6)}.
     *
     * <p>Each gradient's sum of squares is computed in float64, so the norm is accurate for
     * float32 models too. Frozen parameters and parameters without a gradient are skipped;
     * every gradient handle opened here is closed.
     *
     * @param params the parameters whose {@code .grad} to clip (any order)
     * @param maxNorm the largest norm allowed; {@code <= 0}, infinite or NaN means no clipping
     * @return the global norm before clipping ({@code NaN} or infinite when a gradient is)
     */
    public static double clipGlobalNorm(Collection<Parameter> params, double maxNorm) {
        double sumOfSquares = 0;
        for (Parameter p : params) {
            if (!p.requiresGradient()) {
                continue;
            }
            try (NDArray g = Gradients.gradientOrNull(p.getArray())) {
                if (g == null) {
                    continue;
                }
                try (NDArray g64 = g.toType(DataType.FLOAT64, true);
                        NDArray squares = g64.mul(g64);
                        NDArray sum = squares.sum()) {
                    sumOfSquares += sum.getDouble();
                }
            }
        }
        double norm = Math.sqrt(sumOfSquares);
        boolean clipping = maxNorm > 0 && Double.isFinite(maxNorm);
        // As clip_grad_norm_: coef = max / (norm + 1e-6), applied when coef < 1.
        double coef = maxNorm / (norm + 1e-6);
        if (clipping && coef < 1) {
            for (Parameter p : params) {
                if (!p.requiresGradient()) {
                    continue;
                }
                try (NDArray g = Gradients.gradientOrNull(p.getArray())) {
                    if (g != null) {
                        scaleInPlace(g, coef);
                    }
                }
            }
        }
        return norm;
    }

    /** {@code g *= factor} with the factor in {@code g}'s dtype (no float64 promotion of 0-d). */
    private static void scaleInPlace(NDArray g, double factor) {
        try (NDArray f = Scalars.of(g.getManager(), factor, g.getDataType())) {
            g.muli(f);
        }
    }
}
