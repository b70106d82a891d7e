package dev.align.models.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import dev.align.models.internal.Constants;

/**
 * SigLIP's pairwise sigmoid loss (Zhai et al. 2023) as OpenCLIP's {@code SigLipLoss} on one
 * device: {@code logits = exp(s) I T^T + b}, labels {@code 2 I_N - 1},
 * {@code loss = -sum(logsigmoid(labels * logits)) / N}. Computed as
 * {@code (sum softplus(logits) - trace(logits)) / N}, which is the same sum since
 * {@code -logsigmoid(-z) = softplus(z)} and {@code -logsigmoid(z) = softplus(z) - z}.
 *
 * <p>Memory: a few {@code [N, N]} arrays; {@link ChunkedSigLipLoss} needs {@code O(chunk x N)}.
 */
public final class SigLipLoss implements ContrastiveLoss {

    /**
     * @param logitBias required: SigLIP learns a bias (initialised to -10)
     * @throws IllegalArgumentException if {@code logitBias} is null
     */
    @Override
    public NDArray compute(NDArray imageEmbeds, NDArray textEmbeds, NDArray logitScale,
            NDArray logitBias) {
        ContrastiveLoss.checkInputs(imageEmbeds, textEmbeds, logitScale);
        if (logitBias == null) {
            throw new IllegalArgumentException("SigLIP needs a logit bias: build the model with "
                    + "ClipConfig.withSigLipInit() (logit_bias initialised to -10)");
        }
        long n = imageEmbeds.getShape().get(0);
        NDArray scale = ContrastiveLoss.onScopeOf(imageEmbeds, logitScale.exp());
        NDArray logits = imageEmbeds.matMul(textEmbeds.transpose()).mul(scale).add(logitBias);
        return Activation.softPlus(logits).sum().sub(logits.diagonal().sum())
                .div(Constants.scalar(logits, n));
    }
}
