package dev.align.curation.dfn;

import dev.align.core.Checks;
import dev.align.eval.embed.ClipEmbedder;
import dev.align.models.config.ClipConfig;
import dev.align.models.io.ModelBundle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Scores image-text pairs by the cosine similarity of a dual encoder's L2-normalised embeddings:
 * DFN's filter score, and the CLIP score of DataComp's baselines with any checkpoint. A thin
 * name for {@link ClipEmbedder#scorePairs} in fixed-shape mode.
 *
 * <p><b>The model folder</b> is what {@code ./align train} writes, read as a {@link ModelBundle};
 * it must hold the tokenizer the model was trained with (the contract for how captions become
 * ids), and the tokenizer must fit the model.
 *
 * <p><b>Preprocessing</b> is OpenCLIP's evaluation transform, as the embedder's.
 *
 * <p><b>Batch independence.</b> Every forward pass has a fixed shape ({@link
 * ClipEmbedder.Builder#optFixedShapes}): a pair's score is bit-identical whatever other pairs share
 * its call and at whatever position it sits, with the same batch size and libtorch thread count
 * (tested); a distributed job that uses the same batch size and thread count therefore reproduces
 * the local scores exactly.
 *
 * <p>Gradient tracking is off while scoring and every batch's arrays are freed after it. The
 * scorer is thread-safe; {@link #close()} frees the model.
 */
public final class DfnScorer implements AutoCloseable {

    /** Rows per forward pass unless told otherwise. */
    public static final int DEFAULT_BATCH_SIZE = 64;

    private final ClipEmbedder embedder;

    private DfnScorer(ClipEmbedder embedder) {
        this.embedder = embedder;
    }

    /**
     * Loads a scorer from a model folder that holds its tokenizer.
     *
     * @param batchSize rows per forward pass, {@code >= 1}; scores are reproducible only between
     *     runs that use the same batch size
     * @return the scorer; close it to free the model
     * @throws IOException if a file cannot be read
     * @throws IllegalArgumentException if the folder has no tokenizer or the tokenizer does not
     *     fit the model
     */
    public static DfnScorer load(Path modelDir, int batchSize) throws IOException {
        Checks.checkArgument(batchSize >= 1, "batchSize must be >= 1, got %s", batchSize);
        return new DfnScorer(ClipEmbedder.builder(modelDir).optBatchSize(batchSize)
                .optFixedShapes(true).build());
    }

    /** @return rows per forward pass */
    public int batchSize() {
        return embedder.batchSize();
    }

    /** @return the model's config */
    public ClipConfig config() {
        return embedder.model().config();
    }

    /**
     * Scores pairs.
     *
     * @param images encoded images (JPEG, PNG, WebP if a reader is installed)
     * @param captions their captions, same length
     * @return per pair the cosine similarity of its image and text embeddings, in {@code [-1, 1]};
     *     {@link Float#NaN} for a pair whose image cannot be decoded (the caller counts it)
     * @throws IllegalArgumentException if the lists differ in length or hold nulls
     * @throws IllegalStateException if the scorer is closed
     */
    public float[] score(List<byte[]> images, List<String> captions) {
        return embedder.scorePairs(images, captions);
    }

    /** Arrays held by the scorer's per-call scopes (for leak tests). */
    int liveArrays() {
        return embedder.liveArrays();
    }

    /** Frees the model and the tokenizer; idempotent. */
    @Override
    public void close() {
        embedder.close();
    }
}
