package dev.align.models.vision;

import static dev.align.core.Checks.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.align.models.config.VisionConfig;
import dev.align.models.nn.InitSpec;
import dev.align.models.nn.LayerNormBlock;
import dev.align.models.nn.ModuleBlock;
import dev.align.models.nn.Transformer;
import java.util.Map;

/**
 * The ViT image tower as OpenCLIP's {@code VisionTransformer} (keys under {@code visual.}):
 * {@code conv1} patch embedding without bias, {@code class_embedding} prepended,
 * {@code positional_embedding} added, optional FLIP patch dropout (training only),
 * {@code ln_pre}, {@code transformer}, {@code ln_post} of the class token and {@code proj}.
 *
 * <p>Input pixels {@code [B, 3, S, S]} (normalised, the model's dtype); output features
 * {@code [B, E]}, not yet L2-normalised.
 */
public final class VisionTransformer extends ModuleBlock {

    private final VisionConfig config;
    private final int embedDim;
    private final Parameter conv1;
    private final Parameter classEmbedding;
    private final Parameter positionalEmbedding;
    private final Parameter proj;
    private final LayerNormBlock lnPre;
    private final Transformer transformer;
    private final LayerNormBlock lnPost;
    private final PatchDropout patchDropout;

    /** An image tower for {@code config} projecting to {@code embedDim}. */
    public VisionTransformer(VisionConfig config, int embedDim) {
        this.config = config;
        this.embedDim = embedDim;
        int w = config.width();
        int p = config.patchSize();
        double scale = Math.pow(w, -0.5);
        // PyTorch's default Conv2d initialisation: U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
        this.conv1 = addParameter(Parameter.builder().setName("conv1_weight")
                .setType(Parameter.Type.WEIGHT).optShape(new Shape(w, 3, p, p))
                .optInitializer(InitSpec.uniform(1 / Math.sqrt(3.0 * p * p))).build());
        this.classEmbedding = addParameter(Parameter.builder().setName("class_embedding")
                .setType(Parameter.Type.OTHER).optShape(new Shape(w))
                .optInitializer(InitSpec.normal(scale)).build());
        this.positionalEmbedding = addParameter(Parameter.builder().setName("positional_embedding")
                .setType(Parameter.Type.OTHER).optShape(new Shape(config.tokens(), w))
                .optInitializer(InitSpec.normal(scale)).build());
        this.lnPre = addChildBlock("ln_pre", new LayerNormBlock(w));
        this.transformer = addChildBlock("transformer", new Transformer(w, config.layers(),
                config.heads(), config.mlpWidth(), config.activation()));
        this.lnPost = addChildBlock("ln_post", new LayerNormBlock(w));
        this.proj = addParameter(Parameter.builder().setName("proj").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(w, embedDim)).optInitializer(InitSpec.normal(scale)).build());
        this.patchDropout = config.patchDropout() > 0 ? new PatchDropout(config.patchDropout()) : null;
    }

    /** The configuration of this tower. */
    public VisionConfig config() {
        return config;
    }

    /** The transformer stack. */
    public Transformer transformer() {
        return transformer;
    }

    /** FLIP patch dropout, or {@code null} when the rate is 0. */
    public PatchDropout patchDropout() {
        return patchDropout;
    }

    /**
     * Image features {@code [B, E]} (not normalised) of {@code pixels [B, 3, S, S]}.
     *
     * @throws IllegalArgumentException if the pixels are not {@code [B, 3, S, S]} with
     *     {@code S = imageSize} and {@code B >= 1}
     */
    public NDArray forward(ParameterStore ps, NDArray pixels, boolean training) {
        checkPixels(pixels);
        long b = pixels.getShape().get(0);
        int w = config.width();
        int p = config.patchSize();
        NDArray patches = Conv2d.conv2d(pixels, value(ps, conv1, pixels, training), null,
                new Shape(p, p)).singletonOrThrow();                           // [B, D, G, G]
        NDArray tokens = patches.reshape(b, w, -1).transpose(0, 2, 1);         // [B, G*G, D]
        NDManager scope = pixels.getManager();
        NDArray cls = value(ps, classEmbedding, pixels, training).reshape(1, 1, w);
        cls.attach(scope);                                                      // not the model's
        NDArray x = cls.broadcast(b, 1, w).concat(tokens, 1)                    // [B, 1+G*G, D]
                .add(value(ps, positionalEmbedding, pixels, training));
        if (training && patchDropout != null) {
            x = patchDropout.apply(x);                                         // [B, 1+K, D]
        }
        x = lnPre.forward(ps, x, training);
        x = transformer.forward(ps, x, null, training);
        NDArray pooled = lnPost.forward(ps, x.get(new NDIndex(":, 0, :")), training); // [B, D]
        return pooled.matMul(value(ps, proj, pixels, training));               // [B, E]
    }

    private void checkPixels(NDArray pixels) {
        Shape s = pixels.getShape();
        int size = config.imageSize();
        checkArgument(s.dimension() == 4 && s.get(0) >= 1 && s.get(1) == 3 && s.get(2) == size
                        && s.get(3) == size,
                "pixel_values must have shape [B, 3, %s, %s] with B >= 1, got %s", size, size, s);
        DataType type = pixels.getDataType();
        DataType modelType = conv1.getArray().getDataType();
        checkArgument(type == modelType, "pixel_values must be %s like the model's weights, got %s",
                modelType, type);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), embedDim)};
    }

    @Override
    public void collectParameters(String prefix, Map<String, Parameter> out) {
        out.put(prefix + "class_embedding", classEmbedding);
        out.put(prefix + "positional_embedding", positionalEmbedding);
        out.put(prefix + "proj", proj);
        out.put(prefix + "conv1.weight", conv1);
        lnPre.collectParameters(prefix + "ln_pre.", out);
        transformer.collectParameters(prefix + "transformer.", out);
        lnPost.collectParameters(prefix + "ln_post.", out);
    }
}
