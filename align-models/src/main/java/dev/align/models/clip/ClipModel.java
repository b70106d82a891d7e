package dev.align.models.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.align.models.config.ClipConfig;
import dev.align.models.nn.InitSpec;
import dev.align.models.nn.ModuleBlock;
import dev.align.models.text.TextTransformer;
import dev.align.models.vision.VisionTransformer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.align.models.internal.Constants;

/**
 * A CLIP/ALIGN dual encoder laid out as OpenCLIP's {@code CLIP}: an image tower under
 * {@code visual.}, a text tower at the top level, a learnable {@code logit_scale} (log space,
 * clamped to {@code [0, ln 100]} during training) and, for SigLIP, a {@code logit_bias}.
 *
 * <p>As a DJL {@link ai.djl.nn.Block} its input is {@code (pixel_values [B, 3, S, S],
 * input_ids [B, T])} and its output {@code (image_embeds [B, E], text_embeds [B, E],
 * logit_scale [] [, logit_bias []])}, the embeddings L2-normalised. {@link #forward} gives the
 * same as a typed {@link ClipOutput}.
 *
 * <pre>{@code
 * try (NDManager manager = NDManager.newBaseManager()) {
 *     ClipModel model = ClipModel.create(ClipConfig.preset("ViT-B-32"), manager, DataType.FLOAT32, 42);
 *     ClipOutput out = model.forward(new ParameterStore(manager, false), pixels, ids, false);
 * }
 * }</pre>
 */
public final class ClipModel extends ModuleBlock {

    private final ClipConfig config;
    private final VisionTransformer visual;
    private final TextTransformer text;
    private final Parameter logitScale;
    private final Parameter logitBias;
    private final Map<String, Parameter> parameters;

    /** An uninitialised model; see {@link #create} for a ready one. */
    public ClipModel(ClipConfig config) {
        this.config = config;
        this.visual = addChildBlock("visual", new VisionTransformer(config.vision(), config.embedDim()));
        this.text = addChildBlock("text", new TextTransformer(config.text(), config.embedDim()));
        this.logitScale = addParameter(Parameter.builder().setName("logit_scale")
                .setType(Parameter.Type.OTHER).optShape(new Shape())
                .optInitializer(InitSpec.constant(config.initLogitScale())).build());
        this.logitBias = config.hasLogitBias() ? addParameter(Parameter.builder()
                .setName("logit_bias").setType(Parameter.Type.OTHER).optShape(new Shape())
                .optInitializer(InitSpec.constant(config.initLogitBias())).build()) : null;
        Map<String, Parameter> all = new LinkedHashMap<>();
        collectParameters("", all);
        this.parameters = Collections.unmodifiableMap(all);
    }

    /**
     * A model with freshly initialised weights: OpenAI CLIP's initialisation, drawn from a Java
     * generator keyed by {@code seed} and each parameter's name, so the same seed gives the same
     * weights on any device.
     *
     * @param manager owns the weights (close it to free them)
     * @param dataType {@code FLOAT32} for training and inference, {@code FLOAT64} for gradient checks
     */
    public static ClipModel create(ClipConfig config, NDManager manager, DataType dataType, long seed) {
        ClipModel model = new ClipModel(config);
        model.initialize(manager, dataType, seed);
        return model;
    }

    /** Initialises every parameter from {@code seed} (see {@link #create}). */
    public void initialize(NDManager manager, DataType dataType, long seed) {
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            Parameter p = e.getValue();
            if (p.getInitializer() instanceof InitSpec spec) {
                p.setInitializer(spec.seeded(seed, e.getKey()));
            }
        }
        initialize(manager, dataType, inputShapes());
    }

    private Shape[] inputShapes() {
        int s = config.vision().imageSize();
        return new Shape[] {new Shape(1, 3, s, s), new Shape(1, config.text().contextLength())};
    }

    /** The configuration this model was built from. */
    public ClipConfig config() {
        return config;
    }

    /** The image tower. */
    public VisionTransformer visual() {
        return visual;
    }

    /** The text tower. */
    public TextTransformer text() {
        return text;
    }

    /** Every parameter by its OpenCLIP state-dict name, in state-dict order. */
    public Map<String, Parameter> openClipParameters() {
        return parameters;
    }

    /** Number of scalar weights (151,277,313 for ViT-B-32, as OpenCLIP). */
    public long parameterCount() {
        return parameters.values().stream().mapToLong(p -> p.getShape().size()).sum();
    }

    /** The {@code logit_scale} parameter (log space). */
    public Parameter logitScale() {
        return logitScale;
    }

    /** The {@code logit_bias} parameter, or {@code null} without one. */
    public Parameter logitBias() {
        return logitBias;
    }

    /**
     * Locks (freezes) or unlocks the image tower, as LiT does: its parameters stop receiving
     * gradients and optimizer updates.
     */
    public void lockImageTower(boolean locked) {
        visual.freezeParameters(locked);
    }

    /** Locks (freezes) or unlocks the text tower. */
    public void lockTextTower(boolean locked) {
        text.freezeParameters(locked);
    }

    /**
     * Clamps {@code logit_scale} in place to {@code [0, max]}; OpenCLIP does this after every
     * optimizer step with {@code max = ln 100}, so the temperature never drops below 0.01.
     */
    public void clampLogitScale(double max) {
        NDArray scale = logitScale.getArray();
        double v;
        try (NDArray d = scale.toType(DataType.FLOAT64, true)) {
            v = d.getDouble();
        }
        double clamped = Math.max(0, Math.min(max, v));
        if (clamped != v) {
            try (NDManager tmp = scale.getManager().newSubManager()) {
                scale.set(tmp.create(clamped).toType(scale.getDataType(), false).toByteBuffer());
            }
        }
    }

    /**
     * Image and text embeddings of a batch of pairs.
     *
     * @param ps where parameter values come from ({@code new ParameterStore(manager, false)}
     *     outside a trainer)
     * @param pixels {@code [B, 3, S, S]} normalised pixels, the model's dtype
     * @param ids {@code [B', T]} token ids
     * @param training enables patch dropout
     */
    public ClipOutput forward(ParameterStore ps, NDArray pixels, NDArray ids, boolean training) {
        NDArray image = encodeImage(ps, pixels, training);
        NDArray textEmbeds = encodeText(ps, ids, training);
        return new ClipOutput(image, textEmbeds, value(ps, logitScale, pixels, training),
                logitBias == null ? null : value(ps, logitBias, pixels, training));
    }

    /** L2-normalised image embeddings {@code [B, E]} of {@code pixels [B, 3, S, S]}. */
    public NDArray encodeImage(ParameterStore ps, NDArray pixels, boolean training) {
        return l2Normalize(visual.forward(ps, pixels, training));
    }

    /** L2-normalised text embeddings {@code [B, E]} of {@code ids [B, T]}. */
    public NDArray encodeText(ParameterStore ps, NDArray ids, boolean training) {
        return l2Normalize(text.forward(ps, ids, training));
    }

    /** {@code x / max(||x||, 1e-12)} along the last axis, as {@code F.normalize}. */
    public static NDArray l2Normalize(NDArray x) {
        NDArray norm = x.norm(new int[] {-1}, true);
        return x.div(norm.maximum(Constants.scalar(norm, 1e-12)));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (inputs.size() != 2) {
            throw new IllegalArgumentException(
                    "ClipModel takes (pixel_values, input_ids), got " + inputs.size() + " arrays");
        }
        ClipOutput out = forward(ps, inputs.get(0), inputs.get(1), training);
        NDList result = new NDList(out.imageEmbeds(), out.textEmbeds(), out.logitScale());
        if (out.logitBias() != null) {
            result.add(out.logitBias());
        }
        return result;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape embeds = new Shape(inputShapes[0].get(0), config.embedDim());
        Shape textEmbeds = new Shape(inputShapes[1].get(0), config.embedDim());
        return logitBias == null ? new Shape[] {embeds, textEmbeds, new Shape()}
                : new Shape[] {embeds, textEmbeds, new Shape(), new Shape()};
    }

    @Override
    public void collectParameters(String prefix, Map<String, Parameter> out) {
        visual.collectParameters(prefix + "visual.", out);
        text.collectParameters(prefix, out);
        out.put(prefix + "logit_scale", logitScale);
        if (logitBias != null) {
            out.put(prefix + "logit_bias", logitBias);
        }
    }
}
