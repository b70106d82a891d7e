package dev.align.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.align.models.config.Activation;
import java.util.Map;
import dev.align.models.internal.Constants;

/**
 * OpenCLIP's pre-LN residual block: {@code x + attn(ln_1(x))}, then
 * {@code x + c_proj(act(c_fc(ln_2(x))))}. Unlike DJL's {@code TransformerEncoderBlock} (post-norm,
 * BatchNorm) one sample's output never depends on another sample of the batch.
 *
 * <p>Input {@code x [B, T, D]} and an optional additive attention mask; output {@code [B, T, D]}.
 */
public final class ResidualAttentionBlock extends SequenceBlock {

    private final Activation activation;
    private final LayerNormBlock ln1;
    private final SelfAttention attn;
    private final LayerNormBlock ln2;
    private final LinearBlock cFc;
    private final LinearBlock cProj;

    /**
     * @param width model width D
     * @param heads attention heads
     * @param mlpWidth MLP hidden width
     * @param activation MLP non-linearity
     * @param layers blocks in the tower, which scales the residual projections' initialisation
     */
    public ResidualAttentionBlock(int width, int heads, int mlpWidth, Activation activation,
            int layers) {
        this.activation = activation;
        // OpenAI CLIP's initialisation: attention std D^-1/2, residual projections
        // D^-1/2 (2L)^-1/2, MLP input (2D)^-1/2.
        double attnStd = Math.pow(width, -0.5);
        double projStd = attnStd * Math.pow(2.0 * Math.max(layers, 1), -0.5);
        double fcStd = Math.pow(2.0 * width, -0.5);
        this.ln1 = addChildBlock("ln_1", new LayerNormBlock(width));
        this.attn = addChildBlock("attn", new SelfAttention(width, heads, InitSpec.normal(attnStd),
                InitSpec.normal(projStd)));
        this.ln2 = addChildBlock("ln_2", new LayerNormBlock(width));
        this.cFc = addChildBlock("c_fc", new LinearBlock(width, mlpWidth, InitSpec.normal(fcStd)));
        this.cProj = addChildBlock("c_proj", new LinearBlock(mlpWidth, width,
                InitSpec.normal(projStd)));
    }

    /** Applies the block to {@code x [B, T, D]} with an optional additive attention mask. */
    @Override
    public NDArray forward(ParameterStore ps, NDArray x, NDArray mask, boolean training) {
        NDArray h = x.add(attn.forward(ps, ln1.forward(ps, x, training), mask, training));
        NDArray hidden = activate(cFc.forward(ps, ln2.forward(ps, h, training), training));
        return h.add(cProj.forward(ps, hidden, training));
    }

    private NDArray activate(NDArray x) {
        return switch (activation) {
            case GELU -> ai.djl.nn.Activation.gelu(x);
            case QUICK_GELU -> x.mul(ai.djl.nn.Activation.sigmoid(x.mul(Constants.scalar(x, 1.702))));
        };
    }

    @Override
    public void collectParameters(String prefix, Map<String, Parameter> out) {
        ln1.collectParameters(prefix + "ln_1.", out);
        attn.collectParameters(prefix + "attn.", out);
        ln2.collectParameters(prefix + "ln_2.", out);
        cFc.collectParameters(prefix + "mlp.c_fc.", out);
        cProj.collectParameters(prefix + "mlp.c_proj.", out);
    }
}
