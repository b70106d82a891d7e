package dev.align.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.align.models.config.Activation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A stack of {@link ResidualAttentionBlock}s, OpenCLIP's {@code transformer.resblocks}.
 * Input {@code x [B, T, D]} and an optional additive mask; output {@code [B, T, D]}.
 */
public final class Transformer extends SequenceBlock {

    private final List<ResidualAttentionBlock> resblocks;

    /**
     * @param width model width D
     * @param layers number of blocks
     * @param heads attention heads
     * @param mlpWidth MLP hidden width
     * @param activation MLP non-linearity
     */
    public Transformer(int width, int layers, int heads, int mlpWidth, Activation activation) {
        List<ResidualAttentionBlock> blocks = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            blocks.add(addChildBlock("resblock" + i,
                    new ResidualAttentionBlock(width, heads, mlpWidth, activation, layers)));
        }
        this.resblocks = Collections.unmodifiableList(blocks);
    }

    /** The blocks, in order. */
    public List<ResidualAttentionBlock> resblocks() {
        return resblocks;
    }

    /** Runs every block over {@code x [B, T, D]}. */
    @Override
    public NDArray forward(ParameterStore ps, NDArray x, NDArray mask, boolean training) {
        NDArray h = x;
        for (ResidualAttentionBlock block : resblocks) {
            h = block.forward(ps, h, mask, training);
        }
        return h;
    }

    @Override
    public void collectParameters(String prefix, Map<String, Parameter> out) {
        for (int i = 0; i < resblocks.size(); i++) {
            resblocks.get(i).collectParameters(prefix + "resblocks." + i + ".", out);
        }
    }
}
