package dev.align.train.step;

import static dev.align.core.Checks.checkArgument;

import ai.djl.ndarray.NDArray;
import dev.align.models.loss.ChunkedSigLipLoss;
import dev.align.models.loss.ContrastiveLoss;
import dev.align.models.loss.LossGradients;

/**
 * A contrastive loss seen as a function of embeddings and temperature that returns its value and
 * its gradients, without touching any model parameter: the contract gradient caching needs (Gao
 * et al. 2021, "Scaling Deep Contrastive Learning Batch Size under Memory Limited Setup";
 * OpenCLIP's {@code --accum-freq}).
 *
 * <p>Two kinds exist: {@link #autograd(ContrastiveLoss)} wraps any differentiable loss and reads
 * the gradients from leaf copies of its inputs after one backward; {@link
 * #chunked(ChunkedSigLipLoss)} uses SigLIP's closed-form gradients and builds no graph at all.
 */
@FunctionalInterface
public interface EmbeddingLoss {

    /**
     * The loss of a batch of {@code N} pairs and its gradients. The inputs are not modified and no
     * gradient reaches them or any parameter; the returned arrays belong to the manager of
     * {@code imageEmbeds} (close the result, or that manager, to free them).
     *
     * @param imageEmbeds L2-normalised image embeddings {@code [N, E]}, no graph attached
     * @param textEmbeds L2-normalised text embeddings {@code [N, E]}
     * @param logitScale log-space temperature, a scalar (the model's parameter array may be given:
     *     it is only read)
     * @param logitBias logit bias, a scalar, or {@code null} if the model has none
     * @return the scalar loss and {@code dL/dI [N, E]}, {@code dL/dT [N, E]}, {@code dL/ds},
     *     {@code dL/db} (null when {@code logitBias} is null)
     */
    LossGradients lossAndGradients(NDArray imageEmbeds, NDArray textEmbeds, NDArray logitScale,
            NDArray logitBias);

    /**
     * Any autograd loss ({@code InfoNceLoss}, {@code SigLipLoss}): one forward and backward over
     * detached leaf copies of the inputs, whose gradients are returned. Builds the loss's
     * {@code [N, N]} logits, so its memory is {@code O(N²)}.
     *
     * @param loss the differentiable loss
     */
    static EmbeddingLoss autograd(ContrastiveLoss loss) {
        checkArgument(loss != null, "loss must not be null");
        return new AutogradEmbeddingLoss(loss);
    }

    /**
     * SigLIP with analytic gradients computed over column chunks, memory {@code O(chunk x N)}.
     *
     * @param loss the chunked loss; the model must have a {@code logit_bias}
     */
    static EmbeddingLoss chunked(ChunkedSigLipLoss loss) {
        checkArgument(loss != null, "loss must not be null");
        return loss::lossAndGradients;
    }

    /**
     * InfoNCE with analytic gradients computed over column chunks, memory {@code O(chunk x N)}:
     * the global batch can grow without the loss's {@code [N, N]} arrays.
     *
     * @param loss the chunked loss
     */
    static EmbeddingLoss chunked(dev.align.models.loss.ChunkedInfoNceLoss loss) {
        checkArgument(loss != null, "loss must not be null");
        return loss::lossAndGradients;
    }
}
