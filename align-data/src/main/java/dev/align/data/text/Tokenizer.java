package dev.align.data.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Turns captions into rows of exactly {@link #contextLength()} token ids for the text tower, as
 * OpenCLIP's {@code tokenize}: {@code [start, t1, ..., tn, end, pad, ..., pad]}. A caption longer
 * than the context is truncated to its first {@code contextLength - 2} tokens and the end token is
 * kept in the last position, because the text tower pools the features at the end token (CLIP
 * finds it as the argmax id, so the end token must be the largest id).
 *
 * <p>Implementations are thread-safe: one instance is shared by all data-loading threads.
 */
public interface Tokenizer {

    /**
     * Encodes one caption.
     *
     * @param text the caption; never {@code null}
     * @return {@code [T]} ids, {@code T = contextLength()}: start, tokens, end, then {@link #padId()}
     * @throws NullPointerException if {@code text} is null
     */
    long[] encode(String text);

    /**
     * Encodes a batch of captions into one flat row-major array, ready for an NDArray of shape
     * {@code [B, T]}.
     *
     * @param texts {@code B} captions; no element may be {@code null}
     * @return {@code [B * T]} ids; row {@code b} is {@code encode(texts.get(b))}
     * @throws NullPointerException if the list or an element is null (the message gives the index)
     */
    default long[] encodeBatch(List<String> texts) {
        Objects.requireNonNull(texts, "texts is null");
        int t = contextLength();
        long[] out = new long[texts.size() * t];
        for (int b = 0; b < texts.size(); b++) {
            String text = texts.get(b);
            if (text == null) {
                throw new NullPointerException("texts[" + b + "] is null");
            }
            System.arraycopy(encode(text), 0, out, b * t, t);
        }
        return out;
    }

    /**
     * The subword tokens of a caption as strings, without start, end, padding or truncation
     * (for inspection and tests; byte-level tokenizers show bytes as GPT-2's printable characters).
     *
     * @param text the caption; never {@code null}
     * @return the tokens in order
     */
    List<String> tokens(String text);

    /**
     * Decodes a row of ids back to text: a leading start token is skipped and decoding stops at
     * the first end token, so padding after it is ignored (padding need not be a special token:
     * for CLIP it is id 0, the token {@code "!"}).
     *
     * @param ids a row as returned by {@link #encode(String)}, or any id sequence
     * @return the text (for CLIP: cleaned, lowercased, words separated by single spaces)
     * @throws IllegalArgumentException if an id is outside {@code [0, vocabSize())}
     */
    String decode(long[] ids);

    /** Number of distinct ids, special tokens included; every id is in {@code [0, vocabSize())}. */
    int vocabSize();

    /** {@code T}, the length of every encoded row (77 for CLIP). */
    int contextLength();

    /** Id of the start token, the first id of every row. */
    int startId();

    /** Id of the end token; in every row it follows the last kept token. */
    int endId();

    /** Id that fills a row after the end token (0 for CLIP). */
    int padId();

    /**
     * Loads a {@code tokenizer.json}: align's CLIP-style BPE (pure Java) when it is one,
     * otherwise any HuggingFace tokenizer through DJL (that one is {@link AutoCloseable}: close it).
     *
     * @param contextLength the length every encoded row must have (the model's context length)
     * @throws IllegalArgumentException if the file does not exist
     * @throws IOException if it cannot be read or is neither kind of tokenizer
     */
    static Tokenizer load(Path file, int contextLength) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("tokenizer file " + file + " does not exist");
        }
        try {
            return BpeTokenizer.load(file, contextLength);
        } catch (TokenizerFormatException notClipBpe) {
            return HuggingFaceTokenizer.load(file, contextLength);
        }
    }
}
