package dev.align.models.loss;

import static dev.align.core.Checks.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.align.models.internal.Constants;

/**
 * OpenCLIP's symmetric InfoNCE (with optional label smoothing) and its exact gradients, computed
 * over blocks of {@code chunk} text columns so that no {@code [N, N]} array exists: memory
 * {@code O(chunk x N)}, which is what lets a global batch grow without the loss dominating memory.
 * Two passes over the columns: the first gathers each row's and each column's log-sum-exp (rows
 * online across chunks), the second forms the gradient block by block:
 *
 * <pre>
 *   z = exp(s) I T^T,  Y = (1 - eps) I_N + eps / N
 *   loss = (mean_i[lse_row_i - sum_j Y_ij z_ij] + mean_j[lse_col_j - sum_i Y_ij z_ij]) / 2
 *   dL/dz = (softmax_row(z) + softmax_col(z) - 2 Y) / 2N
 *   dL/dI = exp(s) (dL/dz) T,  dL/dT = exp(s) (dL/dz)^T I,  dL/ds = sum(dL/dz * z)
 * </pre>
 *
 * The diagonal and uniform parts of {@code Y} are added once outside the blocks. Equal to
 * {@link InfoNceLoss} with autograd (tested); no graph is built.
 */
public final class ChunkedInfoNceLoss {

    private final int chunk;
    private final double labelSmoothing;

    /**
     * @param chunk text columns per block, >= 1
     * @param labelSmoothing in [0, 1); ALIGN uses 0.1
     */
    public ChunkedInfoNceLoss(int chunk, double labelSmoothing) {
        checkArgument(chunk >= 1, "chunk must be >= 1, got %s", chunk);
        checkArgument(labelSmoothing >= 0 && labelSmoothing < 1,
                "label smoothing must be in [0, 1), got %s", labelSmoothing);
        this.chunk = chunk;
        this.labelSmoothing = labelSmoothing;
    }

    /**
     * The loss and its gradients; no gradient is recorded on the inputs.
     *
     * @param imageEmbeds {@code [N, E]}
     * @param textEmbeds {@code [N, E]}
     * @param logitScale log-space scale, a scalar
     * @param logitBias ignored (softmax does not change under a shift); its gradient is 0
     */
    public LossGradients lossAndGradients(NDArray imageEmbeds, NDArray textEmbeds,
            NDArray logitScale, NDArray logitBias) {
        ContrastiveLoss.checkInputs(imageEmbeds, textEmbeds, logitScale);
        long n = imageEmbeds.getShape().get(0);
        double eps = labelSmoothing;
        try (NDScope outer = new NDScope()) {
            double scale;
            try (NDArray s = logitScale.toType(DataType.FLOAT64, true)) {
                scale = Math.exp(s.getDouble());
            }
            NDArray img = imageEmbeds.stopGradient();                               // [N, E]
            NDArray txt = textEmbeds.stopGradient();                                // [N, E]
            NDArray rowLse = null;                                                  // [N, 1]
            NDList colLse = new NDList();                                           // [1, c] each
            NDArray total = Constants.scalar(img, 0);                               // sum of z
            for (long start = 0; start < n; start += chunk) {                       // pass A
                try (NDScope inner = new NDScope()) {
                    NDArray z = logits(img, txt, start, Math.min(n, start + chunk), scale); // [N, c]
                    NDArray rows = logSumExp(z, 1);
                    NDArray combined = rowLse == null ? rows : logAddExp(rowLse, rows);
                    NDArray cols = logSumExp(z, 0);
                    NDArray sum = total.add(z.sum());
                    NDScope.unregister(combined, cols, sum);
                    if (rowLse != null) {
                        rowLse.close();
                    }
                    total.close();
                    rowLse = combined;
                    total = sum;
                    colLse.add(cols);
                }
            }
            NDArray pairDots = img.mul(txt).sum(new int[] {1}, true).mul(Constants.scalar(img, scale)); // [N,1] z_ii
            NDArray traceZ = pairDots.sum();
            // loss = (mean lse_row + mean lse_col) / 2 - (1 - eps) mean(z_ii) - eps sum(z) / N²
            NDArray loss = rowLse.mean().add(NDArrays.concat(colLse, 1).mean()).div(Constants.scalar(img, 2))
                    .sub(traceZ.mul(Constants.scalar(img, (1 - eps) / n)))
                    .sub(total.mul(Constants.scalar(img, eps / ((double) n * n))));
            NDArray imageGrad = img.zerosLike();
            NDList textGrads = new NDList();
            NDArray softmaxDotZ = Constants.scalar(img, 0);                         // sum(P * z)
            NDArray half = Constants.scalar(img, 0.5 / n);
            for (long start = 0, k = 0; start < n; start += chunk, k++) {           // pass B
                try (NDScope inner = new NDScope()) {
                    long end = Math.min(n, start + chunk);
                    NDArray t = txt.get(new NDIndex("{}:{}", start, end));
                    NDArray z = logits(img, txt, start, end, scale);
                    NDArray p = z.sub(rowLse).exp().add(z.sub(colLse.get((int) k)).exp()).mul(half); // [N, c]
                    imageGrad.addi(p.matMul(t));
                    NDArray tg = p.transpose().matMul(img);                         // [c, E]
                    NDArray acc = softmaxDotZ.add(p.mul(z).sum());
                    NDScope.unregister(tg, acc);
                    softmaxDotZ.close();
                    softmaxDotZ = acc;
                    textGrads.add(tg);
                }
            }
            // Y's parts: diagonal (1 - eps) / N on every pair, uniform eps / N² everywhere.
            double diag = (1 - eps) / n;
            double uniform = eps / ((double) n * n);
            NDArray imageSum = img.sum(new int[] {0}, true);                        // [1, E]
            NDArray textSum = txt.sum(new int[] {0}, true);
            NDArray dImage = imageGrad.sub(txt.mul(Constants.scalar(img, diag)))
                    .sub(textSum.mul(Constants.scalar(img, uniform))).mul(Constants.scalar(img, scale));
            NDArray dText = NDArrays.concat(textGrads).sub(img.mul(Constants.scalar(img, diag)))
                    .sub(imageSum.mul(Constants.scalar(img, uniform))).mul(Constants.scalar(img, scale));
            NDArray dScale = softmaxDotZ.sub(traceZ.mul(Constants.scalar(img, diag)))
                    .sub(total.mul(Constants.scalar(img, uniform)));
            NDArray dBias = logitBias == null ? null : logitBias.zerosLike();
            if (dBias != null) {
                dBias.attach(img.getManager());
            }
            NDScope.unregister(loss, dImage, dText, dScale);
            if (dBias != null) {
                NDScope.unregister(dBias);
            }
            return new LossGradients(loss, dImage, dText, dScale, dBias);
        }
    }

    /** {@code exp(s) I T[start:end]^T}, {@code [N, end - start]}. */
    private static NDArray logits(NDArray img, NDArray txt, long start, long end, double scale) {
        NDArray t = txt.get(new NDIndex("{}:{}", start, end));
        NDArray dot = img.matMul(t.transpose());
        return dot.mul(Constants.scalar(dot, scale));
    }

    /** {@code log sum exp(x)} along {@code axis}, keeping the axis. */
    private static NDArray logSumExp(NDArray x, int axis) {
        NDArray max = x.max(new int[] {axis}, true);
        return x.sub(max).exp().sum(new int[] {axis}, true).log().add(max);
    }

    /** {@code log(exp(a) + exp(b))}, element-wise and stable. */
    private static NDArray logAddExp(NDArray a, NDArray b) {
        NDArray max = a.maximum(b);
        return a.sub(max).exp().add(b.sub(max).exp()).log().add(max);
    }
}
