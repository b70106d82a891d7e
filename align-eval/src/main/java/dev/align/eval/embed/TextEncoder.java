package dev.align.eval.embed;

import java.util.List;

/** Turns texts into L2-normalised embeddings. Implementations are thread-safe. */
public interface TextEncoder {

    /** {@code E}, the length of every embedding. */
    int embeddingDim();

    /**
     * Embeds texts.
     *
     * @param texts {@code N} texts, none {@code null}
     * @return {@code [N][E]} unit vectors, row {@code i} for {@code texts.get(i)}
     */
    float[][] encodeTexts(List<String> texts);
}
