package dev.align.models.config;

import static dev.align.core.Checks.checkArgument;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The Transformer text tower, as OpenCLIP's text {@code Transformer}: token embedding, learned
 * positions, {@code layers} pre-LN blocks (causal for CLIP, bidirectional with a padding mask for
 * ALIGN/BERT style), {@code ln_final}, pooling and a projection.
 *
 * @param contextLength longest token sequence (77 for CLIP)
 * @param vocabSize number of token ids
 * @param width token width
 * @param layers number of residual attention blocks
 * @param heads attention heads; must divide {@code width}
 * @param mlpRatio MLP hidden width over {@code width}
 * @param activation MLP non-linearity
 * @param causal whether a token attends only to itself and earlier tokens (CLIP) or to every
 *     non-padding token (BERT)
 * @param pool which token's features represent the text
 * @param padId the padding token id, masked out as a key in bidirectional towers
 */
public record TextConfig(
        int contextLength,
        int vocabSize,
        int width,
        int layers,
        int heads,
        double mlpRatio,
        Activation activation,
        boolean causal,
        TextPool pool,
        int padId) {

    /** Checks every invariant, naming the offending value. */
    public TextConfig {
        checkArgument(contextLength > 0, "text.contextLength must be > 0, got %s", contextLength);
        checkArgument(vocabSize > 0, "text.vocabSize must be > 0, got %s", vocabSize);
        checkArgument(width > 0, "text.width must be > 0, got %s", width);
        checkArgument(layers >= 0, "text.layers must be >= 0, got %s", layers);
        checkArgument(heads > 0 && width % heads == 0,
                "text.heads must be > 0 and divide text.width %s, got %s", width, heads);
        checkArgument(mlpRatio > 0 && (int) (width * mlpRatio) > 0,
                "text.mlpRatio must give a positive MLP width, got %s", mlpRatio);
        checkArgument(activation != null, "text.activation must be GELU or QUICK_GELU, got null");
        checkArgument(pool != null, "text.pool must be ARGMAX or FIRST, got null");
        checkArgument(padId >= 0 && padId < vocabSize,
                "text.padId must be in [0, vocabSize %s), got %s", vocabSize, padId);
    }

    /** MLP hidden width, {@code (int) (width * mlpRatio)} as OpenCLIP. */
    @JsonIgnore
    public int mlpWidth() {
        return (int) (width * mlpRatio);
    }

    /**
     * The leading columns of token ids {@code [B, T]} that decide every row's embedding: for a
     * causal tower, one past the last pooled position of any row (no token attends to a later
     * one, so the columns after it cannot change a pooled token); for a bidirectional one, all
     * {@code T}. Rows cut to this many columns embed as the padded rows do, in training too: the
     * cut columns receive no gradient either way.
     *
     * @param ids row-major {@code [b, t]} token ids
     */
    public int columnsNeeded(long[] ids, int b, int t) {
        checkArgument(ids.length == (long) b * t, "ids hold %s values, not [%s, %s]", ids.length,
                b, t);
        if (!causal) {
            return t;
        }
        int max = 0;
        for (int p : pool.positions(ids, b, t)) {
            max = Math.max(max, p);
        }
        return max + 1;
    }

    /** A copy with another activation. */
    public TextConfig withActivation(Activation act) {
        return new TextConfig(contextLength, vocabSize, width, layers, heads, mlpRatio, act, causal,
                pool, padId);
    }
}
