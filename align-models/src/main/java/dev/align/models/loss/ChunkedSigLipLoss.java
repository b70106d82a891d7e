package dev.align.models.loss;

import static dev.align.core.Checks.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import dev.align.models.internal.Constants;

/**
 * SigLIP's sigmoid loss and its exact gradients, computed over blocks of {@code chunk} text
 * columns so that no {@code [N, N]} array ever exists: memory {@code O(chunk x N)}. It gives the
 * same loss and gradients as {@link SigLipLoss} with autograd (tested), in closed form:
 *
 * <pre>
 *   z = exp(s) I T^T + b,  loss = (sum softplus(z) - trace(z)) / N
 *   G = sigmoid(z) / N - I_N / N                     (dL/dz)
 *   dL/dI = exp(s) G T,  dL/dT = exp(s) G^T I,  dL/ds = sum(G * (z - b)),  dL/db = sum(G)
 * </pre>
 *
 * The diagonal terms need only the row-wise dot products of the pairs, so each chunk handles
 * the dense {@code sigmoid} part and the diagonal is added once. No autograd graph is built:
 * feed the gradients back with {@code JniUtils.backward(embeds, grad)} (gradient caching).
 */
public final class ChunkedSigLipLoss {

    private final int chunk;

    /** @param chunk text columns per block, >= 1 */
    public ChunkedSigLipLoss(int chunk) {
        checkArgument(chunk >= 1, "chunk must be >= 1, got %s", chunk);
        this.chunk = chunk;
    }

    /** The number of text columns processed at once. */
    public int chunk() {
        return chunk;
    }

    /**
     * The loss and its gradients; no gradient is recorded on the inputs.
     *
     * @param imageEmbeds {@code [N, E]}
     * @param textEmbeds {@code [N, E]}
     * @param logitScale log-space scale, a scalar
     * @param logitBias bias, a scalar (required)
     */
    public LossGradients lossAndGradients(NDArray imageEmbeds, NDArray textEmbeds,
            NDArray logitScale, NDArray logitBias) {
        ContrastiveLoss.checkInputs(imageEmbeds, textEmbeds, logitScale);
        checkArgument(logitBias != null, "SigLIP needs a logit bias, got null");
        long n = imageEmbeds.getShape().get(0);
        try (NDScope outer = new NDScope()) {
            double scale = Math.exp(scalar(logitScale));
            double bias = scalar(logitBias);
            NDArray img = imageEmbeds.stopGradient();                               // [N, E]
            NDArray txt = textEmbeds.stopGradient();                                // [N, E]
            NDArray imageGrad = img.zerosLike();                                    // sum_j sig(z_j) T_j
            NDList textGradChunks = new NDList();
            NDArray softplusSum = null;
            NDArray sigmoidDotSum = null;
            NDArray sigmoidSum = null;
            for (long start = 0; start < n; start += chunk) {
                long end = Math.min(n, start + chunk);
                try (NDScope inner = new NDScope()) {
                    NDArray t = txt.get(new NDIndex("{}:{}", start, end));          // [c, E]
                    NDArray dot = img.matMul(t.transpose());                        // [N, c]
                    NDArray z = dot.mul(Constants.scalar(dot, scale)).add(Constants.scalar(dot, bias));
                    NDArray sig = Activation.sigmoid(z);
                    imageGrad.addi(sig.matMul(t));
                    NDArray textGrad = sig.transpose().matMul(img);                 // [c, E]
                    softplusSum = accumulate(softplusSum, Activation.softPlus(z).sum());
                    sigmoidDotSum = accumulate(sigmoidDotSum, sig.mul(dot).sum());
                    sigmoidSum = accumulate(sigmoidSum, sig.sum());
                    textGradChunks.add(textGrad);
                    NDScope.unregister(textGrad, softplusSum, sigmoidDotSum, sigmoidSum);
                }
            }
            NDArray pairDots = img.mul(txt).sum();                                  // trace(I T^T)
            NDArray loss = softplusSum.sub(pairDots.mul(Constants.scalar(img, scale)))
                    .sub(Constants.scalar(img, n * bias)).div(Constants.scalar(img, n));
            NDArray dImage = imageGrad.sub(txt).mul(Constants.scalar(img, scale / n));
            NDArray dText = ai.djl.ndarray.NDArrays.concat(textGradChunks).sub(img)
                    .mul(Constants.scalar(img, scale / n));
            NDArray dScale = sigmoidDotSum.sub(pairDots).mul(Constants.scalar(img, scale / n));
            NDArray dBias = sigmoidSum.sub(Constants.scalar(img, n)).div(Constants.scalar(img, n));
            textGradChunks.close();
            softplusSum.close();
            sigmoidDotSum.close();
            sigmoidSum.close();
            NDScope.unregister(loss, dImage, dText, dScale, dBias);
            return new LossGradients(loss, dImage, dText, dScale, dBias);
        }
    }

    private static NDArray accumulate(NDArray total, NDArray term) {
        if (total == null) {
            return term;
        }
        NDArray sum = total.add(term);
        total.close();
        return sum;
    }

    private static double scalar(NDArray x) {
        return x.getDataType() == DataType.FLOAT64 ? x.getDouble() : x.toType(DataType.FLOAT64, false)
                .getDouble();
    }
}
