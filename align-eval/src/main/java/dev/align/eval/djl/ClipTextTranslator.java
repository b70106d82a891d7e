package dev.align.eval.djl;

import static dev.align.core.Checks.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import dev.align.data.text.Tokenizer;

/**
 * DJL translator from a text to its L2-normalised embedding, for a model whose block is a text
 * {@link ClipTowerBlock}: the text becomes one row of {@code T} int64 ids from the model's
 * tokenizer; batches stack to {@code [B, T]}.
 */
public final class ClipTextTranslator implements Translator<String, float[]> {

    private final Tokenizer tokenizer;

    /** A translator with the model's tokenizer (its context length must be the model's). */
    public ClipTextTranslator(Tokenizer tokenizer) {
        checkArgument(tokenizer != null, "tokenizer is null");
        this.tokenizer = tokenizer;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, String input) {
        checkArgument(input != null, "text is null");
        return new NDList(ctx.getNDManager().create(tokenizer.encode(input)));    // [T] int64
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        NDArray e = list.singletonOrThrow();                                      // [E]
        return e.getDataType() == DataType.FLOAT32 ? e.toFloatArray()
                : e.toType(DataType.FLOAT32, false).toFloatArray();
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }
}
