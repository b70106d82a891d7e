package dev.align.data.imports;

import static dev.align.core.Checks.checkArgument;

import java.nio.file.Path;

/**
 * Settings every importer shares. Immutable; build one with {@link #of(Path)} and the
 * {@code withX} methods.
 *
 * @param out folder the shards, {@code tokenizer.json}, {@code import.json} and {@code eval/} go
 *     to; created if missing, must not already hold shards
 * @param seed fixes every random choice (the order samples are written in, caption wording,
 *     procedural scenes, sampling)
 * @param shardSize samples per shard, {@code >= 1}
 * @param limit at most this many samples are written; 0 = all the source has (the procedural
 *     set needs a positive count)
 * @param imageSize longer side of written images in pixels (smaller sources are kept as they
 *     are, except that SVGs and procedural scenes are drawn at this size); 0 = the importer's
 *     default
 * @param vocabSize ids of the BPE tokenizer trained on the captions, {@code >= 514}; keep it at
 *     most the text tower's vocabulary (1,000 for the {@code tiny} preset)
 * @param contextLength tokens per caption {@code T} the tokenizer encodes to, {@code >= 2}; at
 *     most the text tower's context length (32 for {@code tiny} and {@code small})
 * @param background {@code 0xRRGGBB} colour transparent pixels are composited onto
 */
public record ImportOptions(Path out, long seed, int shardSize, long limit, int imageSize,
        int vocabSize, int contextLength, int background) {

    /** Default samples per shard. */
    public static final int DEFAULT_SHARD_SIZE = 1000;
    /** Default tokenizer vocabulary, small enough for the {@code tiny} preset. */
    public static final int DEFAULT_VOCAB_SIZE = 1000;
    /** Default context length, that of the {@code tiny} and {@code small} presets. */
    public static final int DEFAULT_CONTEXT_LENGTH = 32;

    /** Checks every setting. */
    public ImportOptions {
        checkArgument(out != null, "out is null");
        checkArgument(shardSize >= 1, "shard size must be >= 1, got %s", shardSize);
        checkArgument(limit >= 0, "count/limit must be >= 0 (0 = everything), got %s", limit);
        checkArgument(imageSize == 0 || (imageSize >= 8 && imageSize <= 4096),
                "image size must be in [8, 4096] (or 0 for the importer's default), got %s",
                imageSize);
        checkArgument(vocabSize >= 514, "vocab size must be >= 514 (256 bytes, 256 bytes with "
                + "</w>, 2 special tokens), got %s", vocabSize);
        checkArgument(contextLength >= 2, "context length must be >= 2, got %s", contextLength);
        checkArgument((background & 0xFF000000) == 0, "background must be 0xRRGGBB, got 0x%s",
                Integer.toHexString(background));
    }

    /** Defaults: seed 0, 1,000 samples per shard, everything, vocabulary 1,000, T = 32, white. */
    public static ImportOptions of(Path out) {
        return new ImportOptions(out, 0, DEFAULT_SHARD_SIZE, 0, 0, DEFAULT_VOCAB_SIZE,
                DEFAULT_CONTEXT_LENGTH, 0xFFFFFF);
    }

    /** With another seed. */
    public ImportOptions withSeed(long seed) {
        return new ImportOptions(out, seed, shardSize, limit, imageSize, vocabSize, contextLength,
                background);
    }

    /** With another shard size. */
    public ImportOptions withShardSize(int shardSize) {
        return new ImportOptions(out, seed, shardSize, limit, imageSize, vocabSize, contextLength,
                background);
    }

    /** With another sample limit (0 = all). */
    public ImportOptions withLimit(long limit) {
        return new ImportOptions(out, seed, shardSize, limit, imageSize, vocabSize, contextLength,
                background);
    }

    /** With another image size (0 = the importer's default). */
    public ImportOptions withImageSize(int imageSize) {
        return new ImportOptions(out, seed, shardSize, limit, imageSize, vocabSize, contextLength,
                background);
    }

    /** With another tokenizer vocabulary size. */
    public ImportOptions withVocabSize(int vocabSize) {
        return new ImportOptions(out, seed, shardSize, limit, imageSize, vocabSize, contextLength,
                background);
    }

    /** With another tokenizer context length. */
    public ImportOptions withContextLength(int contextLength) {
        return new ImportOptions(out, seed, shardSize, limit, imageSize, vocabSize, contextLength,
                background);
    }

    /** With another background colour. */
    public ImportOptions withBackground(int background) {
        return new ImportOptions(out, seed, shardSize, limit, imageSize, vocabSize, contextLength,
                background);
    }

    /** The image size, or {@code fallback} when none was set. */
    int imageSizeOr(int fallback) {
        return imageSize == 0 ? fallback : imageSize;
    }
}
