package dev.align.models.clip;

import ai.djl.ndarray.NDArray;

/**
 * What a dual encoder computes for a batch of image-text pairs. The arrays belong to the
 * manager of the inputs (close that scope to free them), except {@code logitScale} and
 * {@code logitBias}, which are the model's parameters themselves.
 *
 * @param imageEmbeds L2-normalised image embeddings {@code [B, E]}
 * @param textEmbeds L2-normalised text embeddings {@code [B, E]}
 * @param logitScale the learnable temperature in log space, a scalar: logits are
 *     {@code exp(logitScale) * image . text}
 * @param logitBias SigLIP's learnable bias, a scalar, or {@code null} for a model without one
 */
public record ClipOutput(NDArray imageEmbeds, NDArray textEmbeds, NDArray logitScale,
        NDArray logitBias) {}
