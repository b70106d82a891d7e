package dev.align.models.loss;

import static dev.align.core.Checks.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * A differentiable loss over a batch of matched image-text pairs, row {@code i} of both inputs
 * being a positive pair and every other combination a negative one.
 */
public interface ContrastiveLoss {

    /**
     * The scalar loss, differentiable with respect to every input (inside a
     * {@code GradientCollector}). Intermediate arrays live in the manager of
     * {@code imageEmbeds}.
     *
     * @param imageEmbeds L2-normalised image embeddings {@code [N, E]}
     * @param textEmbeds L2-normalised text embeddings {@code [N, E]}
     * @param logitScale temperature in log space, a scalar
     * @param logitBias additive logit bias, a scalar, or {@code null} for none
     * @throws IllegalArgumentException if the shapes do not match
     */
    NDArray compute(NDArray imageEmbeds, NDArray textEmbeds, NDArray logitScale, NDArray logitBias);

    /** Checks that two embedding batches are {@code [N, E]} alike and the scale a scalar. */
    static void checkInputs(NDArray imageEmbeds, NDArray textEmbeds, NDArray logitScale) {
        Shape i = imageEmbeds.getShape();
        Shape t = textEmbeds.getShape();
        checkArgument(i.dimension() == 2 && i.get(0) >= 1,
                "image embeddings must be [N, E] with N >= 1, got %s", i);
        checkArgument(i.equals(t), "text embeddings must have the image embeddings' shape %s, got %s",
                i, t);
        checkArgument(logitScale.getShape().size() == 1,
                "logit_scale must be a scalar, got shape %s", logitScale.getShape());
    }

    /**
     * {@code f(parameter)} moved to the manager of {@code like}: unary operations on a model
     * parameter otherwise land in the model's manager and live as long as the model.
     */
    static NDArray onScopeOf(NDArray like, NDArray result) {
        result.attach(like.getManager());
        return result;
    }
}
