package dev.align.models.clip;

import static dev.align.core.Checks.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.pytorch.jni.JniUtils;
import dev.align.models.config.Activation;
import dev.align.models.config.TextConfig;
import dev.align.models.config.VisionConfig;
import dev.align.models.internal.Constants;
import dev.align.models.nn.LayerNormBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The forward-only path of a {@link ClipModel}'s two towers, for serving: the same function as
 * {@link ClipModel#encodeImage} and {@link ClipModel#encodeText} (parity within float32 rounding,
 * tested), computed with fewer passes over memory and fewer FLOPs. It reads the model's weights
 * (no copy) and never builds an autograd graph (gradient mode is off on the calling thread for the
 * duration of a call, then restored).
 *
 * <p>What it does differently from the training path:
 * <ul>
 *   <li>activations stay as contiguous {@code [B T, D]} matrices, so every linear layer is one
 *       {@code addmm} with its bias fused, and residual sums are added in place;
 *   <li>each intermediate array is freed as soon as it has been read, so a layer reuses the
 *       memory of the one before (the training path keeps every activation until the batch
 *       ends: at ViT-B-32, batch 256, gigabytes of freshly faulted-in pages);
 *   <li>the patch embedding is one matrix product over the image cut into patches (the
 *       convolution's stride equals its kernel), and the class token's position is pre-added;
 *   <li>attention runs as two batched matrix products over {@code [B H, T, Dh]} with the
 *       {@code 1/sqrt(Dh)} scale and the mask applied in place to the scores;
 *   <li>the last block computes only the pooled token (the class token, or the text's
 *       end-of-text or first token): keys and values for every token, queries, attention output
 *       and MLP for that one row, which saves about 1/L of each tower's FLOPs minus the keys and
 *       values;
 *   <li>texts may be given fewer columns than the context length: a causal tower pooled at
 *       end of text never looks past the pooled token, so rows trimmed to the longest pooled
 *       position ({@link #tokensNeeded}) give the same embeddings as the padded rows.
 * </ul>
 *
 * <p>Thread-safe: calls only read the weights; each call's arrays live in the manager of its
 * input (pixels) or the manager given (texts), the output included. {@link #close()} frees the
 * few views of the weights this object made; the weights belong to the model.
 */
public final class InferenceEncoder implements AutoCloseable {

    private final ClipModel model;
    private final NDManager own;
    private final Tower vision;
    private final Tower text;
    // vision
    private final NDArray patchWeightT;       // [3 P P, D]
    private final NDArray clsRow;             // [1, 1, D]: class_embedding + positional_embedding[0]
    private final NDArray patchPositions;     // [G G, D]
    private final NDArray lnPostWeight;
    private final NDArray lnPostBias;
    private final NDArray visionProj;         // [D, E]
    // text
    private final NDArray tokenTable;         // [V, D]
    private final NDArray textPositions;      // [T, D]
    private final NDArray lnFinalWeight;
    private final NDArray lnFinalBias;
    private final NDArray textProj;           // [D, E]

    /** One transformer stack's weights, as views of the model's parameters. */
    private record Block(NDArray ln1W, NDArray ln1B, NDArray inW, NDArray inB, NDArray qW,
            NDArray qB, NDArray kvW, NDArray kvB, NDArray outW, NDArray outB, NDArray ln2W,
            NDArray ln2B, NDArray fcW, NDArray fcB, NDArray projW, NDArray projB) {}

    private record Tower(int width, int heads, Activation activation, List<Block> blocks) {}

    /**
     * An inference path over {@code model}'s weights; the model must stay open (and its weights
     * unchanged) while this is used.
     */
    public InferenceEncoder(ClipModel model) {
        this.model = model;
        Map<String, Parameter> p = model.openClipParameters();
        NDArray any = p.get("logit_scale").getArray();
        this.own = any.getManager().newSubManager();
        VisionConfig vc = model.config().vision();
        TextConfig tc = model.config().text();
        this.vision = tower(p, "visual.transformer.resblocks.", vc.width(), vc.heads(), vc.layers(),
                vc.activation());
        this.text = tower(p, "transformer.resblocks.", tc.width(), tc.heads(), tc.layers(),
                tc.activation());
        int w = vc.width();
        int pp = 3 * vc.patchSize() * vc.patchSize();
        // Intermediates are closed here: made in the model's manager, they would outlive this
        // encoder (one embedder per evaluation during training would leak them every time).
        try (NDArray flat = array(p, "visual.conv1.weight").reshape(w, pp)) {
            this.patchWeightT = keep(flat.transpose());
        }
        NDArray pos = array(p, "visual.positional_embedding");
        try (NDArray first = pos.get(new NDIndex("0:1"));
                NDArray cls = array(p, "visual.class_embedding").reshape(1, w);
                NDArray sum = cls.add(first)) {
            this.clsRow = keep(sum.reshape(1, 1, w));
        }
        this.patchPositions = keep(pos.get(new NDIndex("1:")));
        this.lnPostWeight = array(p, "visual.ln_post.weight");
        this.lnPostBias = array(p, "visual.ln_post.bias");
        this.visionProj = array(p, "visual.proj");
        this.tokenTable = array(p, "token_embedding.weight");
        this.textPositions = array(p, "positional_embedding");
        this.lnFinalWeight = array(p, "ln_final.weight");
        this.lnFinalBias = array(p, "ln_final.bias");
        this.textProj = array(p, "text_projection");
    }

    private Tower tower(Map<String, Parameter> p, String prefix, int width, int heads, int layers,
            Activation activation) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            String b = prefix + i + ".";
            NDArray inW = array(p, b + "attn.in_proj_weight");
            NDArray inB = array(p, b + "attn.in_proj_bias");
            String q = "0:" + width;
            String kv = width + ":";
            blocks.add(new Block(array(p, b + "ln_1.weight"), array(p, b + "ln_1.bias"), inW, inB,
                    keep(inW.get(new NDIndex(q))), keep(inB.get(new NDIndex(q))),
                    keep(inW.get(new NDIndex(kv))), keep(inB.get(new NDIndex(kv))),
                    array(p, b + "attn.out_proj.weight"), array(p, b + "attn.out_proj.bias"),
                    array(p, b + "ln_2.weight"), array(p, b + "ln_2.bias"),
                    array(p, b + "mlp.c_fc.weight"), array(p, b + "mlp.c_fc.bias"),
                    array(p, b + "mlp.c_proj.weight"), array(p, b + "mlp.c_proj.bias")));
        }
        return new Tower(width, heads, activation, List.copyOf(blocks));
    }

    private static NDArray array(Map<String, Parameter> p, String key) {
        return p.get(key).getArray();
    }

    /** Moves a view made from a weight into this object's manager (not the model's). */
    private NDArray keep(NDArray view) {
        view.attach(own);
        return view;
    }

    /** The model whose weights this reads. */
    public ClipModel model() {
        return model;
    }

    /**
     * L2-normalised image embeddings {@code [B, E]} of normalised pixels {@code [B, 3, S, S]}
     * (the model's dtype), allocated in the pixels' manager.
     *
     * @throws IllegalArgumentException if the pixels have another shape or dtype
     */
    public NDArray encodeImages(NDArray pixels) {
        VisionConfig vc = model.config().vision();
        Shape s = pixels.getShape();
        int size = vc.imageSize();
        checkArgument(s.dimension() == 4 && s.get(0) >= 1 && s.get(1) == 3 && s.get(2) == size
                && s.get(3) == size, "pixel_values must have shape [B, 3, %s, %s] with B >= 1, got %s",
                size, size, s);
        checkArgument(pixels.getDataType() == tokenTable.getDataType(),
                "pixel_values must be %s like the model's weights, got %s",
                tokenTable.getDataType(), pixels.getDataType());
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            int b = Math.toIntExact(s.get(0));
            int g = vc.gridSize();
            int p = vc.patchSize();
            int w = vc.width();
            int t = g * g + 1;
            NDArray x;
            try (NDArray v6 = pixels.reshape(b, 3, g, p, g, p);
                    NDArray perm = v6.transpose(0, 2, 4, 1, 3, 5);
                    NDArray patches = perm.reshape((long) b * g * g, 3L * p * p);   // [B G G, 3 P P]
                    NDArray tokens = patches.matMul(patchWeightT);                 // [B G G, D]
                    NDArray tokens3 = tokens.reshape(b, g * g, w);
                    NDArray cls = clsRow.broadcast(b, 1, w)) {
                tokens3.addi(patchPositions);
                cls.attach(pixels.getManager());
                try (NDArray seq = cls.concat(tokens3, 1);                          // [B, T, D]
                        NDArray flat = seq.reshape((long) b * t, w)) {
                    x = layerNorm(flat, array(model.openClipParameters(), "visual.ln_pre.weight"),
                            array(model.openClipParameters(), "visual.ln_pre.bias"));
                }
            }
            long[] pooledRows = new long[b];
            for (int i = 0; i < b; i++) {
                pooledRows[i] = (long) i * t;                                       // the class token
            }
            NDArray pooled = run(vision, x, b, t, null, pooledRows, null);         // [B, D]
            return project(pooled, lnPostWeight, lnPostBias, visionProj);
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /**
     * L2-normalised text embeddings {@code [B, E]} of token ids {@code [B, T']}, row-major, with
     * {@code 1 <= T' <= contextLength}, allocated in {@code manager}. For a causal tower pooled at
     * end of text, {@code T' >= } {@link #tokensNeeded} gives the embeddings of the full padded rows.
     *
     * @throws IllegalArgumentException if the ids do not fill {@code [B, T']} or one is outside
     *     the vocabulary
     */
    public NDArray encodeTexts(NDManager manager, long[] ids, int b, int columns) {
        TextConfig tc = model.config().text();
        checkArgument(b >= 1 && columns >= 1 && columns <= tc.contextLength(),
                "input_ids must have shape [B, T] with B >= 1 and 1 <= T <= %s, got [%s, %s]",
                tc.contextLength(), b, columns);
        checkArgument(ids.length == (long) b * columns, "%s ids do not fill [%s, %s]", ids.length,
                b, columns);
        for (int i = 0; i < ids.length; i++) {
            checkArgument(ids[i] >= 0 && ids[i] < tc.vocabSize(),
                    "input_ids must be in [0, %s), got %s at row %s, position %s", tc.vocabSize(),
                    ids[i], i / columns, i % columns);
        }
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            int t = columns;
            int w = tc.width();
            DataType type = tokenTable.getDataType();
            int[] pool = tc.pool().positions(ids, b, t);
            long[] pooledRows = new long[b];
            for (int i = 0; i < b; i++) {
                pooledRows[i] = (long) i * t + pool[i];
            }
            NDArray x;
            try (NDArray idArray = manager.create(ids, new Shape(b, t));
                    NDArray positions = textPositions.get(new NDIndex("0:{}", t))) {
                positions.attach(manager);
                NDArray emb = Embedding.embedding(idArray, tokenTable, SparseFormat.DENSE)
                        .singletonOrThrow();                                        // [B, T, D]
                emb.addi(positions);
                x = emb.reshape((long) b * t, w);
                emb.close();
            }
            NDArray mask;       // every block but the last: [T, T] causal or [B, 1, 1, T] padding
            NDArray lastMask;   // the last block's one query per row: [B, 1, 1, T]
            if (tc.causal()) {
                float[] m = new float[t * t];
                for (int i = 0; i < t; i++) {
                    Arrays.fill(m, i * t + i + 1, (i + 1) * t, Float.NEGATIVE_INFINITY);
                }
                mask = create(manager, m, new Shape(t, t), type);
                float[] last = new float[b * t];
                for (int i = 0; i < b; i++) {
                    Arrays.fill(last, i * t + pool[i] + 1, (i + 1) * t, Float.NEGATIVE_INFINITY);
                }
                lastMask = create(manager, last, new Shape(b, 1, 1, t), type);
            } else {
                float[] m = new float[b * t];
                for (int i = 0; i < m.length; i++) {
                    m[i] = i % t != 0 && ids[i] == tc.padId() ? Float.NEGATIVE_INFINITY : 0f;
                }
                mask = create(manager, m, new Shape(b, 1, 1, t), type);
                lastMask = mask;
            }
            try {
                NDArray pooled = run(text, x, b, t, mask, pooledRows, lastMask);   // [B, D]
                return project(pooled, lnFinalWeight, lnFinalBias, textProj);
            } finally {
                mask.close();
                lastMask.close();
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /**
     * The columns of {@code ids [B, T]} a text batch needs: for a causal tower, one past the last
     * pooled position of any row (the tokens after it cannot change any row's embedding); for a
     * bidirectional one, all {@code T}.
     */
    public int tokensNeeded(long[] ids, int b, int columns) {
        return model.config().text().columnsNeeded(ids, b, columns);
    }

    /**
     * Runs a stack over {@code x [B T, D]} (consumed): every block but the last on all tokens, the
     * last on the pooled rows only; returns those rows after it, {@code [B, D]}.
     */
    private NDArray run(Tower tower, NDArray x, int b, int t, NDArray mask, long[] pooledRows,
            NDArray lastMask) {
        List<Block> blocks = tower.blocks();
        for (int i = 0; i < blocks.size() - 1; i++) {
            block(tower, blocks.get(i), x, b, t, mask);
        }
        try (NDArray rows = x.getManager().create(pooledRows)) {
            if (blocks.isEmpty()) {
                try (x) {
                    return x.get(rows);
                }
            }
            return lastBlock(tower, blocks.get(blocks.size() - 1), x, b, t, rows, lastMask);
        }
    }

    /** One pre-LN block over all tokens, in place: {@code x += attn(ln1 x); x += mlp(ln2 x)}. */
    private void block(Tower tower, Block k, NDArray x, int b, int t, NDArray mask) {
        int w = tower.width();
        int heads = tower.heads();
        int dh = w / heads;
        NDArray context;
        try (NDArray h = layerNorm(x, k.ln1W(), k.ln1B());
                NDArray qkv = linear(h, k.inW(), k.inB());                   // [B T, 3 D]
                NDArray v5 = qkv.reshape(b, t, 3, heads, dh);
                NDArray perm = v5.transpose(2, 0, 3, 1, 4);
                NDArray split = perm.reshape(3, (long) b * heads, t, dh);     // copy: [3, B H, T, Dh]
                NDArray q = split.get(0);
                NDArray kk = split.get(1);
                NDArray v = split.get(2)) {
            context = attend(q, kk, v, b, heads, t, t, mask);                 // [B H, T, Dh]
        }
        try (NDArray c4 = context.reshape(b, heads, t, dh);
                NDArray cp = c4.transpose(0, 2, 1, 3);
                NDArray c2 = cp.reshape((long) b * t, w);                      // copy: [B T, D]
                NDArray out = linear(c2, k.outW(), k.outB())) {
            context.close();
            x.addi(out);
        }
        mlp(tower, k, x);
    }

    /**
     * The last block for the pooled rows only: keys and values of every token, the query and
     * everything after attention for one row per sequence. Consumes {@code x}; returns
     * {@code [B, D]}.
     */
    private NDArray lastBlock(Tower tower, Block k, NDArray x, int b, int t, NDArray rows,
            NDArray queryMask) {
        int w = tower.width();
        int heads = tower.heads();
        int dh = w / heads;
        NDArray pooled;
        NDArray context;
        try (x; NDArray h = layerNorm(x, k.ln1W(), k.ln1B());
                NDArray kv = linear(h, k.kvW(), k.kvB());                     // [B T, 2 D]
                NDArray v5 = kv.reshape(b, t, 2, heads, dh);
                NDArray perm = v5.transpose(2, 0, 3, 1, 4);
                NDArray split = perm.reshape(2, (long) b * heads, t, dh);     // copy: [2, B H, T, Dh]
                NDArray kk = split.get(0);
                NDArray v = split.get(1);
                NDArray hq = h.get(rows);                                      // [B, D]
                NDArray q = linear(hq, k.qW(), k.qB());
                NDArray q3 = q.reshape((long) b * heads, 1, dh)) {
            pooled = x.get(rows);                                              // [B, D]
            context = attend(q3, kk, v, b, heads, 1, t, queryMask);            // [B H, 1, Dh]
        }
        try (context; NDArray c2 = context.reshape(b, w); NDArray out = linear(c2, k.outW(), k.outB())) {
            pooled.addi(out);
        }
        mlp(tower, k, pooled);
        return pooled;
    }

    /** {@code x += c_proj(act(c_fc(ln_2 x)))} in place. */
    private void mlp(Tower tower, Block k, NDArray x) {
        try (NDArray h = layerNorm(x, k.ln2W(), k.ln2B());
                NDArray u = linear(h, k.fcW(), k.fcB());
                NDArray a = activate(tower.activation(), u);
                NDArray out = linear(a, k.projW(), k.projB())) {
            x.addi(out);
        }
    }

    /**
     * {@code softmax(q k^T / sqrt(Dh) + mask) v} for {@code q [B H, Tq, Dh]}, {@code k, v
     * [B H, Tk, Dh]}; the mask broadcasts to {@code [B, H, Tq, Tk]}. Returns {@code [B H, Tq, Dh]}.
     */
    private static NDArray attend(NDArray q, NDArray k, NDArray v, int b, int heads, int tq,
            int tk, NDArray mask) {
        int dh = Math.toIntExact(q.getShape().get(2));
        try (NDArray kt = k.transpose(0, 2, 1);
                NDArray scores = q.batchMatMul(kt);                           // [B H, Tq, Tk]
                NDArray scale = Constants.scalar(scores, 1.0 / Math.sqrt(dh))) {
            scores.muli(scale);
            if (mask != null) {
                try (NDArray s4 = scores.reshape(b, heads, tq, tk)) {
                    s4.addi(mask);
                }
            }
            try (NDArray p = scores.softmax(-1)) {
                return p.batchMatMul(v);
            }
        }
    }

    private static NDArray activate(Activation activation, NDArray x) {
        return switch (activation) {
            case GELU -> ai.djl.nn.Activation.gelu(x);
            case QUICK_GELU -> {
                try (NDArray c = Constants.scalar(x, 1.702); NDArray xc = x.mul(c);
                        NDArray s = ai.djl.nn.Activation.sigmoid(xc)) {
                    yield x.mul(s);
                }
            }
        };
    }

    /** {@code normalize(ln(pooled) proj)}; consumes {@code pooled}. */
    private static NDArray project(NDArray pooled, NDArray lnW, NDArray lnB, NDArray proj) {
        try (pooled; NDArray n = layerNorm(pooled, lnW, lnB); NDArray f = n.matMul(proj)) {
            return ClipModel.l2Normalize(f);
        }
    }

    private static NDArray linear(NDArray x, NDArray w, NDArray b) {
        return Linear.linear(x, w, b).singletonOrThrow();
    }

    private static NDArray layerNorm(NDArray x, NDArray w, NDArray b) {
        return LayerNorm.layerNorm(x, new Shape(w.getShape().get(0)), w, b, LayerNormBlock.EPS)
                .singletonOrThrow();
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

    /** Frees this object's views of the weights (not the weights). Idempotent. */
    @Override
    public void close() {
        own.close();
    }
}
