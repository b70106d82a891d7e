package dev.align.models.text;

import static dev.align.core.Checks.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.align.models.config.TextConfig;
import dev.align.models.config.TextPool;
import dev.align.models.nn.InitSpec;
import dev.align.models.nn.LayerNormBlock;
import dev.align.models.nn.ModuleBlock;
import dev.align.models.nn.Transformer;
import java.util.Arrays;
import java.util.Map;

/**
 * The text tower as OpenCLIP's text transformer (keys at the top level of the state dict):
 * {@code token_embedding}, {@code positional_embedding}, {@code transformer} with a causal mask
 * (CLIP) or a key-padding mask (bidirectional, BERT style), {@code ln_final}, pooling at the
 * end-of-text token (the largest id, CLIP) or the first token (ALIGN), and
 * {@code text_projection}.
 *
 * <p>Input token ids {@code [B, T]} (int32 or int64, {@code 1 <= T <= contextLength}); output
 * features {@code [B, E]}, not yet L2-normalised.
 */
public final class TextTransformer extends ModuleBlock {

    private final TextConfig config;
    private final int embedDim;
    private final Parameter tokenEmbedding;
    private final Parameter positionalEmbedding;
    private final Transformer transformer;
    private final LayerNormBlock lnFinal;
    private final Parameter textProjection;

    /** A text tower for {@code config} projecting to {@code embedDim}. */
    public TextTransformer(TextConfig config, int embedDim) {
        this.config = config;
        this.embedDim = embedDim;
        int w = config.width();
        this.tokenEmbedding = addParameter(Parameter.builder().setName("token_embedding_weight")
                .setType(Parameter.Type.WEIGHT).optShape(new Shape(config.vocabSize(), w))
                .optInitializer(InitSpec.normal(0.02)).build());
        this.positionalEmbedding = addParameter(Parameter.builder().setName("positional_embedding")
                .setType(Parameter.Type.OTHER).optShape(new Shape(config.contextLength(), w))
                .optInitializer(InitSpec.normal(0.01)).build());
        this.transformer = addChildBlock("transformer", new Transformer(w, config.layers(),
                config.heads(), config.mlpWidth(), config.activation()));
        this.lnFinal = addChildBlock("ln_final", new LayerNormBlock(w));
        this.textProjection = addParameter(Parameter.builder().setName("text_projection")
                .setType(Parameter.Type.WEIGHT).optShape(new Shape(w, embedDim))
                .optInitializer(InitSpec.normal(Math.pow(w, -0.5))).build());
    }

    /** The configuration of this tower. */
    public TextConfig config() {
        return config;
    }

    /** The transformer stack. */
    public Transformer transformer() {
        return transformer;
    }

    /**
     * Text features {@code [B, E]} (not normalised) of {@code ids [B, T]}.
     *
     * @throws IllegalArgumentException if the ids are not {@code [B, T]} integers with
     *     {@code B >= 1}, {@code 1 <= T <= contextLength} and every id in {@code [0, vocabSize)}
     */
    public NDArray forward(ParameterStore ps, NDArray ids, boolean training) {
        long[] host = checkIds(ids);
        int b = Math.toIntExact(ids.getShape().get(0));
        int t = Math.toIntExact(ids.getShape().get(1));
        NDManager scope = ids.getManager();
        NDArray table = value(ps, tokenEmbedding, ids, training);
        DataType type = table.getDataType();
        NDArray x = Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow(); // [B,T,D]
        NDArray positions = value(ps, positionalEmbedding, ids, training);
        if (t < config.contextLength()) {
            positions = positions.get(new NDIndex(":{}", t));
            positions.attach(scope);                                   // not the model's manager
        }
        x = x.add(positions);
        NDArray mask = config.causal() ? causalMask(scope, t, type)
                : paddingMask(scope, host, b, t, type);
        x = transformer.forward(ps, x, mask, training);
        x = lnFinal.forward(ps, x, training);                                         // [B, T, D]
        NDArray pooled;
        if (config.pool() == TextPool.FIRST) {
            pooled = x.get(new NDIndex(":, 0, :"));                                    // [B, D]
        } else {
            // The index stays in the input's scope: gather's backward reads it, and on CPU the
            // array created from Java memory is what keeps that memory alive.
            NDArray idx = scope.create(Arrays.stream(TextPool.ARGMAX.positions(host, b, t))
                    .asLongStream().toArray(), new Shape(b, 1, 1));
            pooled = x.gather(idx.broadcast(b, 1, config.width()), 1).reshape(b, config.width());
        }
        return pooled.matMul(value(ps, textProjection, ids, training));               // [B, E]
    }

    private long[] checkIds(NDArray ids) {
        Shape s = ids.getShape();
        int context = config.contextLength();
        checkArgument(s.dimension() == 2 && s.get(0) >= 1 && s.get(1) >= 1 && s.get(1) <= context,
                "input_ids must have shape [B, T] with B >= 1 and 1 <= T <= %s, got %s", context, s);
        DataType type = ids.getDataType();
        checkArgument(type == DataType.INT64 || type == DataType.INT32,
                "input_ids must be int64 or int32, got %s", type);
        long[] host = type == DataType.INT64 ? ids.toLongArray()
                : Arrays.stream(ids.toIntArray()).asLongStream().toArray();
        for (int i = 0; i < host.length; i++) {
            long id = host[i];
            checkArgument(id >= 0 && id < config.vocabSize(),
                    "input_ids must be in [0, %s), got %s at row %s, position %s",
                    config.vocabSize(), id, i / s.get(1), i % s.get(1));
        }
        return host;
    }

    /** Additive {@code [T, T]} mask, {@code -inf} strictly above the diagonal. */
    private static NDArray causalMask(NDManager manager, int t, DataType type) {
        float[] mask = new float[t * t];
        for (int i = 0; i < t; i++) {
            Arrays.fill(mask, i * t + i + 1, (i + 1) * t, Float.NEGATIVE_INFINITY);
        }
        return create(manager, mask, new Shape(t, t), type);
    }

    /** Additive {@code [B, 1, 1, T]} mask hiding padding keys; position 0 is never hidden. */
    private NDArray paddingMask(NDManager manager, long[] ids, int b, int t, DataType type) {
        float[] mask = new float[b * t];
        for (int i = 0; i < mask.length; i++) {
            boolean pad = i % t != 0 && ids[i] == config.padId();
            mask[i] = pad ? Float.NEGATIVE_INFINITY : 0f;
        }
        return create(manager, mask, new Shape(b, 1, 1, t), type);
    }

    private static NDArray create(NDManager manager, float[] values, Shape shape, DataType type) {
        NDArray array = manager.create(values, shape);
        if (type == DataType.FLOAT32) {
            return array;
        }
        try (array) {
            return array.toType(type, true);
        }
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
        out.put(prefix + "token_embedding.weight", tokenEmbedding);
        out.put(prefix + "positional_embedding", positionalEmbedding);
        transformer.collectParameters(prefix + "transformer.", out);
        lnFinal.collectParameters(prefix + "ln_final.", out);
        out.put(prefix + "text_projection", textProjection);
    }
}
