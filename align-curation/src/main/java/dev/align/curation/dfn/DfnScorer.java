package dev.align.curation.dfn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.align.core.Checks;
import dev.align.data.image.ImageDecodeException;
import dev.align.data.image.ImageTransform;
import dev.align.data.text.BpeTokenizer;
import dev.align.data.text.HuggingFaceTokenizer;
import dev.align.data.text.Tokenizer;
import dev.align.models.clip.ClipModel;
import dev.align.models.config.ClipConfig;
import dev.align.models.io.ModelFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Scores image-text pairs by the cosine similarity of a dual encoder's L2-normalised embeddings:
 * DFN's filter score, and the CLIP score of DataComp's baselines with any checkpoint.
 *
 * <p><b>The model folder</b> is what {@code ./align train} writes ({@link ModelFolder}:
 * {@code model.safetensors} + {@code model.json}) plus {@value #TOKENIZER}, the tokenizer the model
 * was trained with: that file is the contract for how captions become ids. It is read as align's
 * CLIP-style BPE ({@link BpeTokenizer}) when it is one, else through HuggingFace's tokenizers
 * ({@link HuggingFaceTokenizer}), with the model's context length; its vocabulary must fit the
 * model's.
 *
 * <p><b>Preprocessing</b> is OpenCLIP's evaluation transform through {@link ImageTransform}: resize
 * the shorter side to the model's image size (bicubic), centre crop, OpenAI mean and std.
 *
 * <p><b>Batch independence.</b> Pairs are embedded in batches of exactly {@link #batchSize()} rows:
 * a short last batch is padded (zero pixels, the empty caption), so every forward pass has the same
 * shapes, and the cosine is then summed in double precision in Java over the embedding dimensions
 * in order. The test suite checks that a pair's score is bit-identical whatever other pairs share
 * its batch and at whatever row it sits, with the same libtorch thread count; a distributed job
 * that uses the same batch size and thread count therefore reproduces the local scores exactly.
 *
 * <p>Gradient tracking is off while scoring (on the calling thread; its previous state is
 * restored), every array of a batch lives in a sub-manager closed after the batch, and the model's
 * own arrays are freed by {@link #close()}. Calls are serialised: share one scorer between threads
 * only if its throughput suffices, else load one per thread.
 */
public final class DfnScorer implements AutoCloseable {

    /** The tokenizer file inside a model folder. */
    public static final String TOKENIZER = "tokenizer.json";
    /** Rows per forward pass unless told otherwise. */
    public static final int DEFAULT_BATCH_SIZE = 64;

    private final NDManager manager;
    private final ClipModel model;
    private final Tokenizer tokenizer;
    private final ImageTransform transform;
    private final int batchSize;
    private final long[] emptyCaption;
    private boolean closed;

    private DfnScorer(NDManager manager, ClipModel model, Tokenizer tokenizer, int batchSize) {
        this.manager = manager;
        this.model = model;
        this.tokenizer = tokenizer;
        this.batchSize = batchSize;
        this.transform = ImageTransform.builder(model.config().vision().imageSize()).build();
        this.emptyCaption = tokenizer.encode("");
    }

    /**
     * Loads a scorer from a model folder that holds {@value #TOKENIZER}.
     *
     * @param modelDir the model folder
     * @param batchSize rows per forward pass, {@code >= 1}; scores are reproducible only between
     *     runs that use the same batch size
     * @return the scorer; close it to free the model
     * @throws IOException if a file cannot be read
     * @throws IllegalArgumentException if the folder has no tokenizer or the tokenizer does not
     *     fit the model
     */
    public static DfnScorer load(Path modelDir, int batchSize) throws IOException {
        Checks.checkArgument(batchSize >= 1, "batchSize must be >= 1, got %s", batchSize);
        ClipConfig config = ModelFolder.config(modelDir);
        Path tokenizerFile = modelDir.resolve(TOKENIZER);
        Checks.checkArgument(Files.isRegularFile(tokenizerFile), "model folder %s has no %s: copy "
                + "the tokenizer.json the model was trained with into it", modelDir, TOKENIZER);
        Tokenizer tokenizer = Tokenizer.load(tokenizerFile, config.text().contextLength());
        try {
            Checks.checkArgument(tokenizer.vocabSize() <= config.text().vocabSize(),
                    "%s has %s ids but the model's text tower embeds only %s", tokenizerFile,
                    tokenizer.vocabSize(), config.text().vocabSize());
        } catch (IllegalArgumentException e) {
            closeTokenizer(tokenizer);
            throw e;
        }
        NDManager manager = NDManager.newBaseManager();
        try {
            ClipModel model = ModelFolder.load(modelDir, manager, DataType.FLOAT32);
            return new DfnScorer(manager, model, tokenizer, batchSize);
        } catch (IOException | RuntimeException e) {
            manager.close();
            closeTokenizer(tokenizer);
            throw e;
        }
    }

    /** @return rows per forward pass */
    public int batchSize() {
        return batchSize;
    }

    /** @return the model's config */
    public ClipConfig config() {
        return model.config();
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
    public synchronized float[] score(List<byte[]> images, List<String> captions) {
        Checks.checkState(!closed, "the DFN scorer is closed");
        Checks.checkArgument(images.size() == captions.size(), "%s images but %s captions",
                images.size(), captions.size());
        float[] scores = new float[images.size()];
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int from = 0; from < scores.length; from += batchSize) {
                int to = Math.min(scores.length, from + batchSize);
                scoreBatch(images.subList(from, to), captions.subList(from, to), scores, from);
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        return scores;
    }

    private void scoreBatch(List<byte[]> images, List<String> captions, float[] scores, int offset) {
        int s = transform.imageSize();
        int t = tokenizer.contextLength();
        int b = batchSize;
        float[] pixels = new float[b * 3 * s * s];      // rows past images.size() stay zero
        long[] ids = new long[b * t];
        boolean[] decoded = new boolean[images.size()];
        for (int i = 0; i < b; i++) {
            long[] row = emptyCaption;
            if (i < images.size()) {
                byte[] image = images.get(i);
                String caption = captions.get(i);
                Checks.checkArgument(image != null && caption != null,
                        "pair %s has a null image or caption", offset + i);
                try {
                    transform.apply(image, 0, pixels, i * 3 * s * s);
                    decoded[i] = true;
                } catch (ImageDecodeException e) {
                    Arrays.fill(pixels, i * 3 * s * s, (i + 1) * 3 * s * s, 0f);
                }
                row = tokenizer.encode(caption);
            }
            System.arraycopy(row, 0, ids, i * t, t);
        }
        float[] image;
        float[] text;
        try (NDManager batch = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(batch, false);
            NDArray px = batch.create(pixels, new Shape(b, 3, s, s));
            NDArray tok = batch.create(ids, new Shape(b, t));
            image = model.encodeImage(ps, px, false).toFloatArray();  // [B, E]
            text = model.encodeText(ps, tok, false).toFloatArray();   // [B, E]
        }
        int e = model.config().embedDim();
        for (int i = 0; i < images.size(); i++) {
            if (!decoded[i]) {
                scores[offset + i] = Float.NaN;
                continue;
            }
            double dot = 0;
            for (int d = 0; d < e; d++) {
                dot += (double) image[i * e + d] * text[i * e + d];
            }
            scores[offset + i] = (float) dot;
        }
    }

    /** Arrays held by the scorer's manager and its open sub-managers (for leak tests). */
    int liveArrays() {
        return manager.getManagedArrays().size();
    }

    /** Frees the model and the tokenizer; idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            manager.close();
            closeTokenizer(tokenizer);
        }
    }

    private static void closeTokenizer(Tokenizer tokenizer) {
        if (tokenizer instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot close the tokenizer", e);
            }
        }
    }
}
