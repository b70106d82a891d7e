package dev.align.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

/**
 * Base of align's blocks: parameter shapes come from the configuration, not from the first input,
 * so a block initialises its children with whatever shapes it is given, and its parameters are
 * read through the {@link ParameterStore} so that DJL's trainer can place them on devices.
 */
public abstract class ModuleBlock extends AbstractBlock implements OpenClipModule {

    /** Creates a block with version 1 of DJL's parameter encoding. */
    protected ModuleBlock() {
        super((byte) 1);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Pair<String, Block> child : getChildren()) {
            child.getValue().initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        // Parameter shapes are fixed by the configuration at construction.
    }

    /** The value of {@code parameter} on the device of {@code like}. */
    protected static NDArray value(ParameterStore ps, Parameter parameter, NDArray like,
            boolean training) {
        return ps.getValue(parameter, like.getDevice(), training);
    }
}
