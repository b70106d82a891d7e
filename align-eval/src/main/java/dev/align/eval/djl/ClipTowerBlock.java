package dev.align.eval.djl;

import static dev.align.core.Checks.checkArgument;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.align.models.clip.ClipModel;

/**
 * One tower of a {@link ClipModel} as a DJL block, L2-normalised embeddings out: the image tower
 * maps {@code pixel_values [B, 3, S, S]} to {@code [B, E]}, the text tower {@code input_ids [B, T]}
 * (int64) to {@code [B, E]}. The whole dual encoder is its only child, so its parameters are this
 * block's. Outside training the forward pass runs with PyTorch's gradient mode off on the calling
 * thread (restored afterwards): DJL's {@code Predictor} does not do that, and grad mode is on by
 * default in new threads.
 */
public final class ClipTowerBlock extends AbstractBlock {

    /** Which tower a block runs. */
    public enum Tower {
        /** {@code encode_image}. */
        IMAGE,
        /** {@code encode_text}. */
        TEXT
    }

    private final ClipModel model;
    private final Tower tower;

    /** A block running {@code tower} of an initialised {@code model}. */
    public ClipTowerBlock(ClipModel model, Tower tower) {
        checkArgument(model != null && tower != null, "model and tower must be set");
        this.model = addChildBlock("clip", model);
        this.tower = tower;
    }

    /** The dual encoder. */
    public ClipModel model() {
        return model;
    }

    /** The tower this block runs. */
    public Tower tower() {
        return tower;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        boolean grad = JniUtils.isGradMode();
        if (!training) {
            JniUtils.setGradMode(false);
        }
        try {
            return new NDList(tower == Tower.IMAGE
                    ? model.encodeImage(ps, inputs.singletonOrThrow(), training)
                    : model.encodeText(ps, inputs.singletonOrThrow(), training));
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), model.config().embedDim())};
    }
}
