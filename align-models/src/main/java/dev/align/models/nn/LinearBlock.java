package dev.align.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;

/**
 * {@code y = x W^T + b} with PyTorch's layout ({@code weight [out, in]}, {@code bias [out]}) and
 * names. Input {@code [..., in]}, output {@code [..., out]}.
 */
public final class LinearBlock extends ModuleBlock {

    private final int outFeatures;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * @param inFeatures input width
     * @param outFeatures output width
     * @param weightInit initialisation of the weight; the bias starts at 0
     */
    public LinearBlock(int inFeatures, int outFeatures, InitSpec weightInit) {
        this.outFeatures = outFeatures;
        this.weight = addParameter(Params.weight("weight", new Shape(outFeatures, inFeatures),
                weightInit));
        this.bias = addParameter(Params.bias("bias", new Shape(outFeatures), InitSpec.constant(0)));
    }

    /** Applies the layer to {@code x [..., in]}. */
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        return Linear.linear(x, value(ps, weight, x, training), value(ps, bias, x, training))
                .singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {in.slice(0, in.dimension() - 1).add(outFeatures)};
    }

    @Override
    public void collectParameters(String prefix, Map<String, Parameter> out) {
        out.put(prefix + "weight", weight);
        out.put(prefix + "bias", bias);
    }
}
