package dev.align.models.nn;

import ai.djl.nn.Parameter;
import java.util.Map;

/**
 * A block whose parameters are named as in OpenCLIP's {@code state_dict}, so weights move between
 * align and OpenCLIP without a renaming table.
 */
public interface OpenClipModule {

    /**
     * Adds this block's parameters, and those of its children, to {@code out} under
     * {@code prefix + localName}, in OpenCLIP's state-dict order.
     *
     * @param prefix the key prefix of this block, e.g. {@code "visual.transformer.resblocks.0."}
     * @param out the ordered map to add to
     */
    void collectParameters(String prefix, Map<String, Parameter> out);
}
