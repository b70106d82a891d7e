package dev.align.models.loss;

import static dev.align.core.Checks.checkArgument;

import ai.djl.ndarray.NDArray;
import dev.align.models.internal.Constants;

/**
 * Symmetric InfoNCE exactly as OpenCLIP's {@code ClipLoss}: {@code logits = exp(s) I T^T},
 * loss {@code (CE(logits, arange N) + CE(logits^T, arange N)) / 2}; with label smoothing
 * {@code eps} as ALIGN (0.1) and {@code torch.nn.CrossEntropyLoss(label_smoothing=eps)}: each
 * row's target puts {@code 1 - eps + eps/N} on its pair and {@code eps/N} on every other column.
 * A logit bias, if given, is ignored: softmax does not change under a constant shift.
 *
 * <p>Memory: a few {@code [N, N]} arrays (1 GiB each at N = 16,384 in fp32).
 */
public final class InfoNceLoss implements ContrastiveLoss {

    private final double labelSmoothing;

    /** OpenCLIP's loss, no label smoothing. */
    public InfoNceLoss() {
        this(0);
    }

    /** @param labelSmoothing in [0, 1); ALIGN uses 0.1 */
    public InfoNceLoss(double labelSmoothing) {
        checkArgument(labelSmoothing >= 0 && labelSmoothing < 1,
                "label smoothing must be in [0, 1), got %s", labelSmoothing);
        this.labelSmoothing = labelSmoothing;
    }

    /** The label smoothing. */
    public double labelSmoothing() {
        return labelSmoothing;
    }

    @Override
    public NDArray compute(NDArray imageEmbeds, NDArray textEmbeds, NDArray logitScale,
            NDArray logitBias) {
        ContrastiveLoss.checkInputs(imageEmbeds, textEmbeds, logitScale);
        NDArray scale = ContrastiveLoss.onScopeOf(imageEmbeds, logitScale.exp());
        NDArray logits = imageEmbeds.matMul(textEmbeds.transpose()).mul(scale); // [N, N] per image
        NDArray perImage = crossEntropyWithDiagonalLabels(logits, 1);
        NDArray perText = crossEntropyWithDiagonalLabels(logits, 0);
        return perImage.add(perText).div(Constants.scalar(logits, 2));
    }

    /** Mean cross-entropy of the softmax along {@code axis}, the target being the diagonal. */
    private NDArray crossEntropyWithDiagonalLabels(NDArray logits, int axis) {
        long n = logits.getShape().get(0);
        NDArray logProbs = logits.logSoftmax(axis);
        NDArray nll = logProbs.diagonal().sum().neg().div(Constants.scalar(logits, n));
        if (labelSmoothing == 0) {
            return nll;
        }
        NDArray uniform = logProbs.sum().neg()
                .div(Constants.scalar(logits, (double) n * n));                    // mean over rows, classes
        return nll.mul(Constants.scalar(logits, 1 - labelSmoothing))
                .add(uniform.mul(Constants.scalar(logits, labelSmoothing)));
    }
}
