package dev.align.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;

/**
 * Layer normalisation over the last axis only (per token), eps 1e-5, with OpenCLIP's parameter
 * names {@code weight} and {@code bias}. DJL's {@code LayerNorm} block defaults to normalising
 * over every non-batch axis, which is not what a transformer wants.
 *
 * <p>Input {@code [..., D]}, output the same shape.
 */
public final class LayerNormBlock extends ModuleBlock {

    /** PyTorch's default epsilon. */
    public static final float EPS = 1e-5f;

    private final int width;
    private final Parameter weight;
    private final Parameter bias;

    /** A layer norm over {@code width} channels (gain 1, bias 0). */
    public LayerNormBlock(int width) {
        this.width = width;
        this.weight = addParameter(Params.other("weight", new Shape(width), InitSpec.constant(1)));
        this.bias = addParameter(Params.bias("bias", new Shape(width), InitSpec.constant(0)));
    }

    /** Normalises {@code x [..., D]} per row. */
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        return LayerNorm.layerNorm(x, new Shape(width), value(ps, weight, x, training),
                value(ps, bias, x, training), EPS).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    public void collectParameters(String prefix, Map<String, Parameter> out) {
        out.put(prefix + "weight", weight);
        out.put(prefix + "bias", bias);
    }
}
