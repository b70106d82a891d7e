package dev.align.models.loss;

import ai.djl.ndarray.NDArray;

/**
 * A loss value with its gradients with respect to the embeddings and the temperature, the
 * quantities gradient caching needs to back-propagate a global-batch loss one micro-batch at a
 * time. The arrays belong to the manager of the image embeddings given to the loss.
 *
 * @param loss the scalar loss
 * @param imageGrad {@code dL/dI}, {@code [N, E]}
 * @param textGrad {@code dL/dT}, {@code [N, E]}
 * @param logitScaleGrad {@code dL/ds} for the log-space scale {@code s}, a scalar
 * @param logitBiasGrad {@code dL/db}, a scalar, or {@code null} when the loss has no bias
 */
public record LossGradients(NDArray loss, NDArray imageGrad, NDArray textGrad,
        NDArray logitScaleGrad, NDArray logitBiasGrad) implements AutoCloseable {

    @Override
    public void close() {
        loss.close();
        imageGrad.close();
        textGrad.close();
        logitScaleGrad.close();
        if (logitBiasGrad != null) {
            logitBiasGrad.close();
        }
    }
}
