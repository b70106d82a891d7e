package dev.align.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A block over token sequences that keeps their shape: input {@code x [B, T, D]} and an optional
 * additive attention mask (as a DJL block: {@code (x)} or {@code (x, mask)}), output
 * {@code [B, T, D]}.
 */
public abstract class SequenceBlock extends ModuleBlock {

    /**
     * Applies the block to {@code x [B, T, D]}.
     *
     * @param mask additive mask broadcastable to {@code [B, H, T, T]}, or {@code null}
     */
    public abstract NDArray forward(ParameterStore ps, NDArray x, NDArray mask, boolean training);

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray mask = inputs.size() > 1 ? inputs.get(1) : null;
        return new NDList(forward(ps, inputs.head(), mask, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
