package dev.align.train.step;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.align.models.loss.ContrastiveLoss;
import dev.align.models.loss.LossGradients;

/**
 * {@link EmbeddingLoss#autograd}: gradients read from leaf copies after one backward. The graph is
 * built with grad mode switched on for this thread ({@link GradMode}), not inside a DJL
 * {@code GradientCollector}: DJL's PyTorch collector allows one open collector per process, so
 * two runs training on two threads would make each other's step throw.
 */
final class AutogradEmbeddingLoss implements EmbeddingLoss {

    private final ContrastiveLoss loss;

    AutogradEmbeddingLoss(ContrastiveLoss loss) {
        this.loss = loss;
    }

    @Override
    public LossGradients lossAndGradients(NDArray imageEmbeds, NDArray textEmbeds,
            NDArray logitScale, NDArray logitBias) {
        NDManager owner = imageEmbeds.getManager();
        try (NDScope scope = new NDScope(); GradMode on = GradMode.on()) {
            // Leaves share storage with the inputs (detach) but carry their own .grad.
            NDArray image = leaf(imageEmbeds, owner);
            NDArray text = leaf(textEmbeds, owner);
            NDArray scale = leaf(logitScale, owner);
            NDArray bias = logitBias == null ? null : leaf(logitBias, owner);
            NDArray value = loss.compute(image, text, scale, bias);
            try (NDArray seed = value.onesLike()) {          // dL/dL = 1, as a collector seeds it
                JniUtils.backward((PtNDArray) value, (PtNDArray) seed, false, false);
            }
            NDArray result = value.duplicate();          // a copy without the graph
            NDArray imageGrad = image.getGradient();
            NDArray textGrad = text.getGradient();
            NDArray scaleGrad = scale.getGradient();
            // A loss that ignores the bias (InfoNCE) leaves its .grad undefined: DJL then gives
            // float32 zeros, so cast to the bias's type.
            NDArray biasGrad = bias == null ? null : bias.getGradient()
                    .toType(bias.getDataType(), false);
            NDArray[] kept = biasGrad == null
                    ? new NDArray[] {result, imageGrad, textGrad, scaleGrad}
                    : new NDArray[] {result, imageGrad, textGrad, scaleGrad, biasGrad};
            for (NDArray k : kept) {
                NDScope.unregister(k);
                k.attach(owner);
            }
            return new LossGradients(result, imageGrad, textGrad, scaleGrad, biasGrad);
        }
    }

    private static NDArray leaf(NDArray x, NDManager owner) {
        NDArray leaf = x.stopGradient();
        leaf.attach(owner);
        leaf.setRequiresGradient(true);
        return leaf;
    }
}
