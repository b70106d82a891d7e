package dev.align.eval.embed;

import static dev.align.core.Checks.checkArgument;
import static dev.align.core.Checks.checkState;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.align.data.image.ImageDecodeException;
import dev.align.data.image.ImageTransform;
import dev.align.data.text.Tokenizer;
import dev.align.models.clip.ClipModel;
import dev.align.models.config.ClipConfig;
import dev.align.models.io.ModelFolder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiFunction;

/**
 * Embeds images and texts with a trained dual encoder into L2-normalised {@code float[]} vectors:
 * the API a Java service calls.
 *
 * <pre>{@code
 * try (ClipEmbedder clip = ClipEmbedder.open(Path.of("runs/demo/model"))) {
 *     float[] image = clip.encodeImage(Path.of("cat.jpg"));
 *     float[][] texts = clip.encodeTexts(List.of("a photo of a cat", "a photo of a dog"));
 * }
 * }</pre>
 *
 * <p><b>Preprocessing</b> is OpenCLIP's evaluation transform ({@code image_transform(is_train=
 * False)}): resize the shorter side to the model's image size with bicubic interpolation, centre
 * crop, OpenAI mean and std ({@link ImageTransform}). Texts go through the model's tokenizer:
 * {@value #TOKENIZER_FILE} in the model folder (training on shards copies it there) or a file
 * given with {@link Builder#optTokenizer}; rows are padded or truncated to the model's context
 * length.
 *
 * <p><b>Batching.</b> Lists are cut into batches of {@link Builder#optBatchSize} (default
 * {@value #DEFAULT_BATCH_SIZE}) inputs; each batch is one forward pass of one tower.
 *
 * <p><b>Threads.</b> Every method may be called from many threads at once. Each call runs its
 * forward passes with PyTorch's gradient mode off on its own thread (grad mode is per thread in
 * DJL, and is on by default in new threads) and restores the thread's previous mode afterwards,
 * so a call from a training thread leaves that thread as it was. Each batch's arrays live in a
 * per-call {@link NDManager} closed before the call returns. {@link #close()} waits for running
 * calls; later calls fail with {@link IllegalStateException}.
 *
 * <p><b>Bad images.</b> List methods ({@link #encodeImageFiles}, {@link #encodeEncodedImages})
 * skip images that cannot be read or decoded and report each in the {@link EmbeddingResult};
 * single-image methods throw an {@link ImageDecodeException} (or another {@link IOException})
 * that names the input.
 *
 * <p><b>Devices.</b> The model's weights and every batch live on the {@link Device} given to the
 * builder (default: the engine's default device, the CPU without a GPU).
 */
public final class ClipEmbedder implements ImageEncoder, TextEncoder, AutoCloseable {

    /** The tokenizer file expected in a model folder. */
    public static final String TOKENIZER_FILE = "tokenizer.json";

    /** Inputs per forward pass unless set otherwise. */
    public static final int DEFAULT_BATCH_SIZE = 64;

    private final ClipModel model;
    private final NDManager callRoot;
    private final NDManager ownedModelManager;
    private final Tokenizer tokenizer;
    private final AutoCloseable ownedTokenizer;
    private final ImageTransform transform;
    private final DataType dataType;
    private final int batchSize;
    private final float logitScale;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private ClipEmbedder(ClipModel model, NDManager ownedModelManager, Tokenizer tokenizer,
            AutoCloseable ownedTokenizer, int batchSize) {
        ClipConfig c = model.config();
        checkArgument(tokenizer.contextLength() == c.text().contextLength(),
                "the tokenizer makes rows of %s tokens but the model's context length is %s",
                tokenizer.contextLength(), c.text().contextLength());
        checkArgument(tokenizer.vocabSize() <= c.text().vocabSize(),
                "the tokenizer has %s ids but the model's text tower only %s: this tokenizer does "
                        + "not belong to this model", tokenizer.vocabSize(), c.text().vocabSize());
        NDArray scale = model.logitScale().getArray();
        this.model = model;
        this.ownedModelManager = ownedModelManager;
        this.callRoot = NDManager.newBaseManager(scale.getDevice());
        this.tokenizer = tokenizer;
        this.ownedTokenizer = ownedTokenizer;
        this.transform = ImageTransform.builder(c.vision().imageSize()).build();
        this.dataType = scale.getDataType();
        this.batchSize = batchSize;
        try (NDArray f = scale.toType(DataType.FLOAT64, true)) {
            this.logitScale = (float) Math.exp(f.getDouble());
        }
    }

    /**
     * An embedder over a model folder with the defaults: {@value #TOKENIZER_FILE} from the folder,
     * the default device, batches of {@value #DEFAULT_BATCH_SIZE}.
     *
     * @throws IOException if the folder, weights or tokenizer cannot be read
     * @throws IllegalArgumentException if the folder has no tokenizer or it does not fit the model
     */
    public static ClipEmbedder open(Path modelDir) throws IOException {
        return builder(modelDir).build();
    }

    /** A builder for an embedder over the model folder {@code modelDir} ({@link ModelFolder}). */
    public static Builder builder(Path modelDir) {
        return new Builder(modelDir);
    }

    /**
     * An embedder over a model already in memory (the caller keeps ownership of the model and
     * the tokenizer: closing the embedder closes neither).
     *
     * @param batchSize inputs per forward pass, {@code >= 1}
     */
    public static ClipEmbedder of(ClipModel model, Tokenizer tokenizer, int batchSize) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(tokenizer, "tokenizer");
        checkArgument(batchSize >= 1, "batchSize must be >= 1, got %s", batchSize);
        return new ClipEmbedder(model, null, tokenizer, null, batchSize);
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
        float[] px = new float[pixelsPerImage()];
        transform.apply(encoded, 0, px, 0);
        return forwardImages(px, 1)[0];
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
        int t = tokenizer.contextLength();
        float[][] out = new float[texts.size()][];
        for (int start = 0; start < texts.size(); start += batchSize) {
            int b = Math.min(batchSize, texts.size() - start);
            long[] ids = tokenizer.encodeBatch(texts.subList(start, start + b));
            float[][] rows = run((call, ps) -> model.encodeText(ps,
                    call.create(ids, new Shape(b, t)), false), b);
            System.arraycopy(rows, 0, out, start, b);
        }
        return out;
    }

    private int pixelsPerImage() {
        int s = transform.imageSize();
        return 3 * s * s;
    }

    /** Writes image {@code i}'s pixels {@code [3, S, S]} into {@code dst} at {@code offset}. */
    private interface PixelSource {
        void fill(int i, float[] dst, int offset) throws IOException;
    }

    /** Decodes into batches of {@code batchSize} good images; bad ones become failures. */
    private EmbeddingResult embedImages(int n, PixelSource source,
            java.util.function.IntFunction<String> describe) {
        int plane = pixelsPerImage();
        int cap = Math.max(1, Math.min(n, batchSize));
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
                float[][] e = forwardImages(filled == cap ? pixels
                        : Arrays.copyOf(pixels, filled * plane), filled);
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
        return run((call, ps) -> {
            NDArray x = call.create(pixels, new Shape(b, 3, s, s));        // [B, 3, S, S]
            if (dataType != DataType.FLOAT32) {
                x = x.toType(dataType, false);
            }
            return model.encodeImage(ps, x, false);
        }, b);
    }

    /**
     * Runs one forward pass in a per-call scope with grad mode off on this thread and returns the
     * {@code [B, E]} result as Java rows.
     */
    private float[][] run(BiFunction<NDManager, ParameterStore, NDArray> forward, int b) {
        lock.readLock().lock();
        try {
            checkState(!closed, "the embedder is closed");
            boolean grad = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            try (NDManager call = callRoot.newSubManager()) {
                NDArray e = forward.apply(call, new ParameterStore(call, false));   // [B, E]
                float[] flat = e.getDataType() == DataType.FLOAT32 ? e.toFloatArray()
                        : e.toType(DataType.FLOAT32, false).toFloatArray();
                int dim = flat.length / b;
                float[][] rows = new float[b][];
                for (int i = 0; i < b; i++) {
                    rows[i] = Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
                }
                return rows;
            } finally {
                JniUtils.setGradMode(grad);
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
            if (ownedModelManager != null) {
                ownedModelManager.close();
            }
            if (ownedTokenizer != null) {
                ownedTokenizer.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("closing the tokenizer failed: " + e, e);
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

        private Builder(Path modelDir) {
            checkArgument(modelDir != null, "modelDir is null");
            this.modelDir = modelDir;
        }

        /**
         * The tokenizer file to use instead of the model folder's {@value #TOKENIZER_FILE} (any
         * HuggingFace {@code tokenizer.json}; required when the folder has none).
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
         * Loads the model and tokenizer.
         *
         * @throws IOException if a file cannot be read
         * @throws IllegalArgumentException if there is no tokenizer or it does not fit the model
         */
        public ClipEmbedder build() throws IOException {
            ClipConfig config = ModelFolder.config(modelDir);
            Path tok = tokenizer != null ? tokenizer : modelDir.resolve(TOKENIZER_FILE);
            checkArgument(tokenizer != null || Files.isRegularFile(tok),
                    "model folder %s has no %s: give the tokenizer the model was trained with "
                            + "explicitly (ClipEmbedder.builder(dir).optTokenizer(file), or "
                            + "--tokenizer FILE on the command line)", modelDir, TOKENIZER_FILE);
            Tokenizer t = Tokenizer.load(tok, config.text().contextLength());
            AutoCloseable ownedTokenizer = t instanceof AutoCloseable c ? c : null;
            NDManager manager = device == null ? NDManager.newBaseManager()
                    : NDManager.newBaseManager(device);
            try {
                ClipModel model = ModelFolder.load(modelDir, manager, DataType.FLOAT32);
                return new ClipEmbedder(model, manager, t, ownedTokenizer, batchSize);
            } catch (IOException | RuntimeException e) {
                manager.close();
                if (ownedTokenizer != null) {
                    try {
                        ownedTokenizer.close();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
        }
    }
}
