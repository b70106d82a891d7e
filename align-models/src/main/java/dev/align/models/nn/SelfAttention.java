package dev.align.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.util.Map;
import dev.align.models.internal.Constants;

/**
 * Multi-head self-attention as {@code torch.nn.MultiheadAttention} computes it, with its packed
 * parameters {@code in_proj_weight [3D, D]}, {@code in_proj_bias [3D]},
 * {@code out_proj.weight [D, D]}, {@code out_proj.bias [D]}:
 * {@code softmax(q k^T / sqrt(D/H) + mask) v} per head, heads concatenated, then projected.
 *
 * <p>Input {@code x [B, T, D]} and an optional additive mask broadcastable to {@code [B, H, T, T]}
 * ({@code -inf} where a query must not see a key); output {@code [B, T, D]}.
 */
public final class SelfAttention extends SequenceBlock {

    private final int width;
    private final int heads;
    private final Parameter inProjWeight;
    private final Parameter inProjBias;
    private final Parameter outProjWeight;
    private final Parameter outProjBias;

    /**
     * @param width model width D
     * @param heads number of heads H; must divide D
     * @param inInit initialisation of {@code in_proj_weight}
     * @param outInit initialisation of {@code out_proj.weight}
     */
    public SelfAttention(int width, int heads, InitSpec inInit, InitSpec outInit) {
        this.width = width;
        this.heads = heads;
        this.inProjWeight = addParameter(Params.weight("in_proj_weight", new Shape(3L * width, width),
                inInit));
        this.inProjBias = addParameter(Params.bias("in_proj_bias", new Shape(3L * width),
                InitSpec.constant(0)));
        this.outProjWeight = addParameter(Params.weight("out_proj_weight", new Shape(width, width),
                outInit));
        this.outProjBias = addParameter(Params.bias("out_proj_bias", new Shape(width),
                InitSpec.constant(0)));
    }

    /**
     * Attends {@code x [B, T, D]} to itself.
     *
     * @param mask additive mask broadcastable to {@code [B, H, T, T]}, or {@code null}
     */
    @Override
    public NDArray forward(ParameterStore ps, NDArray x, NDArray mask, boolean training) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int headWidth = width / heads;
        NDArray qkv = Linear.linear(x, value(ps, inProjWeight, x, training),
                value(ps, inProjBias, x, training)).singletonOrThrow();         // [B, T, 3D]
        NDArray split = qkv.reshape(b, t, 3, heads, headWidth)
                .transpose(2, 0, 3, 1, 4);                                       // [3, B, H, T, Dh]
        NDArray q0 = split.get(0);
        NDArray q = q0.mul(Constants.scalar(q0, 1.0 / Math.sqrt(headWidth)));
        NDArray k = split.get(1);
        NDArray v = split.get(2);
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2));                     // [B, H, T, T]
        if (mask != null) {
            scores = scores.add(mask);
        }
        NDArray context = scores.softmax(-1).matMul(v)                          // [B, H, T, Dh]
                .transpose(0, 2, 1, 3).reshape(b, t, width);                    // [B, T, D]
        return Linear.linear(context, value(ps, outProjWeight, x, training),
                value(ps, outProjBias, x, training)).singletonOrThrow();
    }

    @Override
    public void collectParameters(String prefix, Map<String, Parameter> out) {
        out.put(prefix + "in_proj_weight", inProjWeight);
        out.put(prefix + "in_proj_bias", inProjBias);
        out.put(prefix + "out_proj.weight", outProjWeight);
        out.put(prefix + "out_proj.bias", outProjBias);
    }
}
