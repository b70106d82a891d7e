package dev.align.eval.embed;

import static dev.align.core.Checks.checkArgument;
import static dev.align.core.Checks.checkState;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.align.data.image.ImageDecodeException;
import dev.align.data.image.ImageTransform;
import dev.align.data.text.Tokenizer;
import dev.align.models.clip.ClipModel;
import dev.align.models.clip.InferenceEncoder;
import dev.align.models.config.ClipConfig;
import dev.align.models.config.TextConfig;
import dev.align.models.io.ModelBundle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Embeds images and texts with a trained dual encoder into L2-normalised {@code float[]} vectors,
 * and scores image-text pairs by their cosine: the API a Java service calls.
 *
 * <pre>{@code
 * try (ClipEmbedder clip = ClipEmbedder.open(Path.of("runs/demo/model"))) {
 *     float[] image = clip.encodeImage(Path.of("cat.jpg"));
 *     float[][] texts = clip.encodeTexts(List.of("a photo of a cat", "a photo of a dog"));
 * }
 * }</pre>
 *
 * <p><b>The model folder</b> is read as a {@link ModelBundle}: config, weights and the tokenizer
 * the model was trained with ({@link Builder#optTokenizer} for folders without one), which must
 * fit the model by the bundle's one rule.
 *
 * <p><b>Preprocessing</b> is OpenCLIP's evaluation transform ({@code image_transform(is_train=
 * False)}): resize the shorter side to the model's image size with bicubic interpolation, centre
 * crop, OpenAI mean and std ({@link ImageTransform}). Texts go through the model's tokenizer;
 * rows shorter than the model's context are padded with the tokenizer's pad id.
 *
 * <p><b>The forward pass</b> is the model's serving path ({@link InferenceEncoder}): the
 * embeddings of {@link ClipModel}'s own forward within float32 rounding. For a causal text tower
 * pooled at end of text (CLIP's), texts are grouped by length and each batch is encoded only up
 * to its longest caption, which gives the embeddings of the padded rows (tokens after the end of
 * text cannot change them) at a fraction of the cost.
 *
 * <p><b>Batching.</b> Lists are cut into batches of {@link Builder#optBatchSize} (default
 * {@value #DEFAULT_BATCH_SIZE}) inputs; each batch is one forward pass of one tower. With
 * {@link Builder#optFixedShapes} every forward pass has the same shape whatever the call: image
 * batches are padded to exactly the batch size (zero pixels), and texts are batched per length
 * bucket (their needed columns rounded up to a multiple of {@value #TEXT_BUCKET}) and padded to
 * the batch size with the empty caption. An input's embedding, and a pair's score, is then
 * bit-identical whatever other inputs share its call and at whatever position it sits, for the
 * same batch size and libtorch thread count (DFN filtering on Spark relies on it: tested).
 *
 * <p><b>Threads.</b> Every method may be called from many threads at once. Each call runs its
 * forward passes with PyTorch's gradient mode off on its own thread and restores the thread's
 * previous mode afterwards. Each batch's arrays live in a per-call {@link NDManager} closed before
 * the call returns. {@link #close()} waits for running calls; later calls fail with
 * {@link IllegalStateException}.
 *
 * <p><b>Bad images.</b> List methods ({@link #encodeImageFiles}, {@link #encodeEncodedImages})
 * skip images that cannot be read or decoded and report each in the {@link EmbeddingResult};
 * {@link #scorePairs} gives them {@link Float#NaN}; single-image methods throw an
 * {@link ImageDecodeException} (or another {@link IOException}) that names the input.
 *
 * <p><b>Devices.</b> The model's weights and every batch live on the {@link Device} given to the
 * builder (default: the engine's default device, the CPU without a GPU).
 */
public final class ClipEmbedder implements ImageEncoder, TextEncoder, AutoCloseable {

    /** Inputs per forward pass unless set otherwise. */
    public static final int DEFAULT_BATCH_SIZE = 64;

    /** With fixed shapes, text batches are {@code k} times this many columns wide. */
    public static final int TEXT_BUCKET = 8;

    private final ClipModel model;
    private final InferenceEncoder encoder;
    private final NDManager callRoot;
    private final NDManager ownedModelManager;
    private final ModelBundle ownedBundle;
    private final Tokenizer tokenizer;
    private final ImageTransform transform;
    private final DataType dataType;
    private final int batchSize;
    private final boolean fixedShapes;
    private final float logitScale;
    private final long[] emptyCaption;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private ClipEmbedder(ClipModel model, NDManager ownedModelManager, Tokenizer tokenizer,
            ModelBundle ownedBundle, int batchSize, boolean fixedShapes) {
        ClipConfig c = model.config();
        ModelBundle.checkTokenizerFits(tokenizer, c.text(), "given to the embedder");
        NDArray scale = model.logitScale().getArray();
        this.model = model;
        this.encoder = new InferenceEncoder(model);
        this.ownedModelManager = ownedModelManager;
        this.ownedBundle = ownedBundle;
        this.callRoot = NDManager.newBaseManager(scale.getDevice());
        this.tokenizer = tokenizer;
        this.transform = ImageTransform.builder(c.vision().imageSize()).build();
        this.dataType = scale.getDataType();
        this.batchSize = batchSize;
        this.fixedShapes = fixedShapes;
        this.emptyCaption = row(tokenizer.encode(""));
        try (NDArray f = scale.toType(DataType.FLOAT64, true)) {
            this.logitScale = (float) Math.exp(f.getDouble());
        }
    }

    /**
     * An embedder over a model folder with the defaults: the folder's own tokenizer, the default
     * device, batches of {@value #DEFAULT_BATCH_SIZE}.
     *
     * @throws IOException if the folder, weights or tokenizer cannot be read
     * @throws IllegalArgumentException if the folder has no tokenizer or it does not fit the model
     */
    public static ClipEmbedder open(Path modelDir) throws IOException {
        return builder(modelDir).build();
    }

    /** A builder for an embedder over the model folder {@code modelDir} ({@link ModelBundle}). */
    public static Builder builder(Path modelDir) {
        return new Builder(modelDir);
    }

    /**
     * An embedder over a model already in memory (the caller keeps ownership of the model and
     * the tokenizer: closing the embedder closes neither), without fixed shapes.
     *
     * @param batchSize inputs per forward pass, {@code >= 1}
     * @throws IllegalArgumentException if the tokenizer does not fit the model
     */
    public static ClipEmbedder of(ClipModel model, Tokenizer tokenizer, int batchSize) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(tokenizer, "tokenizer");
        checkArgument(batchSize >= 1, "batchSize must be >= 1, got %s", batchSize);
        return new ClipEmbedder(model, null, tokenizer, null, batchSize, false);
    }

    /** The model (its weights must not be changed while the embedder is in use). */
    public ClipModel model() {
        return model;
    }

    /** The tokenizer. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The image preprocessing. */
    public ImageTransform transform() {
        return transform;
    }

    /** Inputs per forward pass. */
    public int batchSize() {
        return batchSize;
    }

    /** Whether every forward pass has a fixed shape ({@link Builder#optFixedShapes}). */
    public boolean fixedShapes() {
        return fixedShapes;
    }

    /** {@code exp(logit_scale)}, the model's learned temperature (100 for a converged CLIP). */
    public float logitScale() {
        return logitScale;
    }

    @Override
    public int embeddingDim() {
        return model.config().embedDim();
    }

    /** Embeds one decoded image. */
    public float[] encodeImage(BufferedImage image) {
        return encodeImages(List.of(image))[0];
    }

    /**
     * Embeds one image file.
     *
     * @throws ImageDecodeException if it is not a usable image (the message names the file)
     * @throws IOException if it cannot be read
     */
    public float[] encodeImage(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return encodeImage(bytes);
        } catch (ImageDecodeException e) {
            throw new ImageDecodeException(e.kind(), file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Embeds one encoded image (PNG, JPEG, ... bytes).
     *
     * @throws ImageDecodeException if the bytes are not a usable image
     */
    public float[] encodeImage(byte[] encoded) throws ImageDecodeException {
        int plane = pixelsPerImage();
        float[] px = new float[(fixedShapes ? batchSize : 1) * plane];
        transform.apply(encoded, 0, px, 0);
        return forwardImages(px, fixedShapes ? batchSize : 1)[0];
    }

    /** Embeds decoded images; none may be {@code null}. */
    public float[][] encodeImages(List<BufferedImage> images) {
        Objects.requireNonNull(images, "images");
        EmbeddingResult r = embedImages(images.size(), (i, dst, off) -> {
            BufferedImage image = images.get(i);
            if (image == null) {
                throw new NullPointerException("images[" + i + "] is null");
            }
            transform.apply(image, 0, dst, off);
        }, i -> "#" + i);
        return r.embeddings();
    }

    @Override
    public EmbeddingResult encodeImageFiles(List<Path> files) {
        Objects.requireNonNull(files, "files");
        return embedImages(files.size(),
                (i, dst, off) -> transform.apply(Files.readAllBytes(files.get(i)), 0, dst, off),
                i -> String.valueOf(files.get(i)));
    }

    @Override
    public EmbeddingResult encodeEncodedImages(List<byte[]> images) {
        Objects.requireNonNull(images, "images");
        return embedImages(images.size(), (i, dst, off) -> transform.apply(
                Objects.requireNonNull(images.get(i), () -> "images[" + i + "] is null"), 0, dst,
                off), i -> "#" + i);
    }

    /** Embeds one text. */
    public float[] encodeText(String text) {
        return encodeTexts(List.of(text))[0];
    }

    @Override
    public float[][] encodeTexts(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        long[][] rows = new long[texts.size()][];
        for (int i = 0; i < rows.length; i++) {
            String text = texts.get(i);
            if (text == null) {
                throw new NullPointerException("texts[" + i + "] is null");
            }
            rows[i] = row(tokenizer.encode(text));
        }
        return embedRows(rows);
    }

    /**
     * Scores image-text pairs by the cosine of their embeddings (summed in double precision over
     * the embedding dimensions in order): DFN's filter score, DataComp's CLIP score. With fixed
     * shapes a pair's score is bit-identical whatever else shares the call.
     *
     * @param images encoded images (JPEG, PNG, ...)
     * @param captions their captions, same length
     * @return per pair the cosine in {@code [-1, 1]}, or {@link Float#NaN} for a pair whose image
     *     cannot be decoded (the caller counts it)
     * @throws IllegalArgumentException if the lists differ in length or hold a {@code null}
     */
    public float[] scorePairs(List<byte[]> images, List<String> captions) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(captions, "captions");
        checkArgument(images.size() == captions.size(), "%s images but %s captions", images.size(),
                captions.size());
        for (int i = 0; i < images.size(); i++) {
            checkArgument(images.get(i) != null && captions.get(i) != null,
                    "pair %s has a null image or caption", i);
        }
        float[][] image = encodeEncodedImages(images).embeddings();
        List<Integer> decoded = new ArrayList<>();
        for (int i = 0; i < image.length; i++) {
            if (image[i] != null) {
                decoded.add(i);
            }
        }
        long[][] rows = new long[decoded.size()][];
        for (int j = 0; j < rows.length; j++) {
            rows[j] = row(tokenizer.encode(captions.get(decoded.get(j))));
        }
        float[][] text = embedRows(rows);
        float[] scores = new float[images.size()];
        Arrays.fill(scores, Float.NaN);
        for (int j = 0; j < rows.length; j++) {
            float[] a = image[decoded.get(j)];
            float[] b = text[j];
            double dot = 0;
            for (int d = 0; d < a.length; d++) {
                dot += (double) a[d] * b[d];
            }
            scores[decoded.get(j)] = (float) dot;
        }
        return scores;
    }

    /** Arrays alive in the per-call scopes (none between calls; for leak tests). */
    public int liveArrays() {
        return callRoot.getManagedArrays().size();
    }

    private int pixelsPerImage() {
        int s = transform.imageSize();
        return 3 * s * s;
    }

    /** A tokenizer row padded with the pad id to the model's context length. */
    private long[] row(long[] ids) {
        int t = model.config().text().contextLength();
        if (ids.length == t) {
            return ids;
        }
        long[] padded = Arrays.copyOf(ids, t);
        Arrays.fill(padded, ids.length, t, tokenizer.padId());
        return padded;
    }

    /**
     * Embeds rows of {@code T} ids: sorted by the columns they need, batched, each batch cut to
     * its widest row (or, with fixed shapes, per length bucket and padded to the batch size).
     */
    private float[][] embedRows(long[][] rows) {
        TextConfig tc = model.config().text();
        int t = tc.contextLength();
        int n = rows.length;
        int[] need = new int[n];
        for (int i = 0; i < n; i++) {
            int k = encoder.tokensNeeded(rows[i], 1, t);
            need[i] = fixedShapes ? Math.min(t, (k + TEXT_BUCKET - 1) / TEXT_BUCKET * TEXT_BUCKET) : k;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> need[i]));  // stable
        float[][] out = new float[n][];
        int start = 0;
        while (start < n) {
            int end = start + 1;
            while (end < n && end - start < batchSize
                    && (!fixedShapes || need[order[end]] == need[order[start]])) {
                end++;
            }
            int b = end - start;
            int width = need[order[end - 1]];                 // the widest row of the batch
            int rowsInPass = fixedShapes ? batchSize : b;
            long[] ids = new long[rowsInPass * width];
            for (int j = 0; j < rowsInPass; j++) {
                long[] src = j < b ? rows[order[start + j]] : emptyCaption;
                System.arraycopy(src, 0, ids, j * width, width);
            }
            float[][] e = run(call -> encoder.encodeTexts(call, ids, rowsInPass, width), rowsInPass);
            for (int j = 0; j < b; j++) {
                out[order[start + j]] = e[j];
            }
            start = end;
        }
        return out;
    }

    /** Writes image {@code i}'s pixels {@code [3, S, S]} into {@code dst} at {@code offset}. */
    private interface PixelSource {
        void fill(int i, float[] dst, int offset) throws IOException;
    }

    /** Decodes into batches of {@code batchSize} good images; bad ones become failures. */
    private EmbeddingResult embedImages(int n, PixelSource source, IntFunction<String> describe) {
        int plane = pixelsPerImage();
        int cap = fixedShapes ? batchSize : Math.max(1, Math.min(n, batchSize));
        float[] pixels = new float[cap * plane];
        int[] rows = new int[cap];
        int filled = 0;
        float[][] out = new float[n][];
        List<EmbeddingFailure> failures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            try {
                source.fill(i, pixels, filled * plane);
                rows[filled++] = i;
            } catch (ImageDecodeException e) {
                failures.add(new EmbeddingFailure(i, describe.apply(i), e.kind().reason(),
                        e.getMessage()));
            } catch (IOException e) {
                failures.add(new EmbeddingFailure(i, describe.apply(i), "unreadable_file",
                        String.valueOf(e)));
            }
            if (filled == cap || (i == n - 1 && filled > 0)) {
                float[][] e;
                if (fixedShapes) {
                    Arrays.fill(pixels, filled * plane, pixels.length, 0f);
                    e = forwardImages(pixels, cap);
                } else {
                    e = forwardImages(filled == cap ? pixels
                            : Arrays.copyOf(pixels, filled * plane), filled);
                }
                for (int j = 0; j < filled; j++) {
                    out[rows[j]] = e[j];
                }
                filled = 0;
            }
        }
        return new EmbeddingResult(out, failures);
    }

    private float[][] forwardImages(float[] pixels, int b) {
        int s = transform.imageSize();
        return run(call -> {
            NDArray x = call.create(pixels, new Shape(b, 3, s, s));        // [B, 3, S, S]
            if (dataType != DataType.FLOAT32) {
                x = x.toType(dataType, false);
            }
            return encoder.encodeImages(x);
        }, b);
    }

    /**
     * Runs one forward pass in a per-call scope (the encoder turns grad mode off on this thread
     * and restores it) and returns the {@code [B, E]} result as Java rows.
     */
    private float[][] run(Function<NDManager, NDArray> forward, int b) {
        lock.readLock().lock();
        try {
            checkState(!closed, "the embedder is closed");
            try (NDManager call = callRoot.newSubManager()) {
                NDArray e = forward.apply(call);                              // [B, E]
                float[] flat = e.getDataType() == DataType.FLOAT32 ? e.toFloatArray()
                        : e.toType(DataType.FLOAT32, false).toFloatArray();
                int dim = flat.length / b;
                float[][] rows = new float[b][];
                for (int i = 0; i < b; i++) {
                    rows[i] = Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
                }
                return rows;
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Waits for running calls, then frees the per-call scopes and, for an embedder opened from a
     * folder, the model and tokenizer. Idempotent.
     */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            callRoot.close();
            encoder.close();
            if (ownedModelManager != null) {
                ownedModelManager.close();
            }
            if (ownedBundle != null) {
                ownedBundle.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Builds a {@link ClipEmbedder} over a model folder. */
    public static final class Builder {
        private final Path modelDir;
        private Path tokenizer;
        private Device device;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private boolean fixedShapes;

        private Builder(Path modelDir) {
            checkArgument(modelDir != null, "modelDir is null");
            this.modelDir = modelDir;
        }

        /**
         * The tokenizer file to use instead of the model folder's own (any HuggingFace
         * {@code tokenizer.json}; required when the folder has none).
         */
        public Builder optTokenizer(Path tokenizerFile) {
            this.tokenizer = tokenizerFile;
            return this;
        }

        /** The device of the weights and every batch; default the engine's default device. */
        public Builder optDevice(Device device) {
            this.device = device;
            return this;
        }

        /** Inputs per forward pass; default {@value #DEFAULT_BATCH_SIZE}. */
        public Builder optBatchSize(int batchSize) {
            checkArgument(batchSize >= 1, "batchSize must be >= 1, got %s", batchSize);
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Whether every forward pass has the same shape (image batches padded to the batch size,
         * texts batched per length bucket), so that an input's embedding and a pair's score are
         * bit-identical whatever shares the call; default false (slightly faster for short lists).
         */
        public Builder optFixedShapes(boolean fixedShapes) {
            this.fixedShapes = fixedShapes;
            return this;
        }

        /**
         * Loads the model and tokenizer.
         *
         * @throws IOException if a file cannot be read
         * @throws IllegalArgumentException if there is no tokenizer or it does not fit the model
         */
        public ClipEmbedder build() throws IOException {
            ModelBundle bundle = ModelBundle.read(modelDir, tokenizer);
            NDManager manager = null;
            try {
                checkArgument(bundle.hasTokenizer(), "model folder %s has no %s: copy the tokenizer.json "
                        + "the model was trained with into it, or give it explicitly (ClipEmbedder"
                        + ".builder(dir).optTokenizer(file), or --tokenizer FILE where a command has "
                        + "it)", modelDir,
                        ModelBundle.TOKENIZER);
                manager = device == null ? NDManager.newBaseManager()
                        : NDManager.newBaseManager(device);
                ClipModel model = bundle.loadModel(manager, DataType.FLOAT32);
                return new ClipEmbedder(model, manager, bundle.tokenizer(), bundle, batchSize,
                        fixedShapes);
            } catch (IOException | RuntimeException e) {
                if (manager != null) {
                    manager.close();
                }
                bundle.close();
                throw e;
            }
        }
    }
}
