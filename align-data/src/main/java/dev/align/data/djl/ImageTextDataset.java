package dev.align.data.djl;

import static dev.align.core.Checks.checkArgument;
import static dev.align.core.Checks.checkState;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.Batchifier;
import ai.djl.util.Progress;
import dev.align.core.data.ImageTextBatch;
import dev.align.core.data.ImageTextSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * align's image-text pairs as a DJL {@link Dataset}: any {@link ImageTextSource}, such as the
 * {@link dev.align.data.shards.ShardSource} over WebDataset shards, read by DJL code
 * ({@code trainer.iterateDataset(dataset)}, {@code EasyTrain}, a loop of your own).
 *
 * <pre>{@code
 * Tokenizer tokenizer = Tokenizer.load(Path.of("data/syn/tokenizer.json"), 32);
 * ShardSource source = new ShardSource(ShardReaderOptions.of("data/syn/{00000..00009}.tar"),
 *         ImageTransform.builder(32).build(), tokenizer::encode, 32);
 * try (ImageTextDataset dataset = ImageTextDataset.builder().setSource(source)
 *         .setBatchSize(128).setBatchesPerEpoch(100).build();
 *      NDManager manager = NDManager.newBaseManager()) {
 *     for (Batch batch : dataset.getData(manager)) {
 *         NDArray pixels = batch.getData().get("pixel_values");   // [B, 3, S, S] float32
 *         NDArray ids = batch.getData().get("input_ids");         // [B, T] int64
 *         ...
 *         batch.close();
 *     }
 * }
 * }</pre>
 *
 * <p>Each {@link Batch} owns a sub-manager of the manager given to {@link #getData(NDManager)}
 * (closing the batch frees its arrays, as DJL's own datasets do) and holds as data
 * {@code pixel_values [B, 3, S, S]} (normalised, float32) and {@code input_ids [B, T]} (int64,
 * padded), in that order, and no labels: in a contrastive batch the pairs label each other. Its
 * {@code size} is B; its progress counts batches within the epoch.
 *
 * <p>Sources are endless (a new pass over the data begins when one ends, reshuffled by the
 * source), so an epoch is {@code batchesPerEpoch} batches, and the next call of
 * {@link #getData(NDManager)} continues the stream where the last epoch stopped. The dataset's
 * state is the source's: {@link #position()} before an epoch and a source {@code seek} to it
 * replay that epoch exactly; an epoch left early leaves the stream where it stopped. Not
 * thread-safe: one thread iterates, one epoch at a time (the source decodes in its own threads);
 * {@code getData(manager, executor)} ignores the executor.
 */
public final class ImageTextDataset implements Dataset, AutoCloseable {

    /** Name of the pixel array in each batch's data. */
    public static final String PIXELS = "pixel_values";
    /** Name of the token id array in each batch's data. */
    public static final String INPUT_IDS = "input_ids";

    private final ImageTextSource source;
    private final int batchSize;
    private final long batchesPerEpoch;
    private boolean closed;

    private ImageTextDataset(Builder builder) {
        this.source = builder.source;
        this.batchSize = builder.batchSize;
        this.batchesPerEpoch = builder.batchesPerEpoch;
    }

    /** A builder; source, batch size and batches per epoch are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * One epoch: the next {@code batchesPerEpoch} batches of the source, created lazily as the
     * iterator advances.
     *
     * @throws IllegalStateException if the dataset is closed
     * @throws UncheckedIOException from the iterator, if the source cannot be read at all
     */
    @Override
    public Iterable<Batch> getData(NDManager manager) {
        checkArgument(manager != null, "manager is null");
        checkState(!closed, "the dataset is closed");
        return () -> new Epoch(manager);
    }

    /** Nothing to prepare: the source reads as it goes. */
    @Override
    public void prepare(Progress progress) {}

    /** Pairs the source has delivered so far (a checkpoint of the stream). */
    public long position() {
        return source.position();
    }

    /** Pairs per batch B. */
    public int batchSize() {
        return batchSize;
    }

    /** Batches per call of {@link #getData(NDManager)}. */
    public long batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** Closes the source. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            source.close();
        }
    }

    private final class Epoch implements Iterator<Batch> {
        private final NDManager manager;
        private long produced;

        Epoch(NDManager manager) {
            this.manager = manager;
        }

        @Override
        public boolean hasNext() {
            return produced < batchesPerEpoch;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the epoch has ended after " + batchesPerEpoch
                        + " batches");
            }
            checkState(!closed, "the dataset is closed");
            ImageTextBatch pairs;
            try {
                pairs = source.next(batchSize);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int b = pairs.size();
            int s = pairs.imageSize();
            NDManager batchManager = manager.newSubManager();
            NDArray pixels = batchManager.create(pairs.pixels(), new Shape(b, 3, s, s));
            pixels.setName(PIXELS);
            NDArray ids = batchManager.create(pairs.tokenIds(), new Shape(b, pairs.contextLength()));
            ids.setName(INPUT_IDS);
            produced++;
            return new Batch(batchManager, new NDList(pixels, ids), new NDList(), b,
                    Batchifier.STACK, Batchifier.STACK, produced, batchesPerEpoch);
        }
    }

    /** Builds an {@link ImageTextDataset}. */
    public static final class Builder {
        private ImageTextSource source;
        private int batchSize;
        private long batchesPerEpoch;

        private Builder() {}

        /** The pairs; the dataset closes the source when it is closed. */
        public Builder setSource(ImageTextSource source) {
            this.source = source;
            return this;
        }

        /** Pairs per batch B, {@code >= 1}. */
        public Builder setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Batches per epoch, {@code >= 1}: the source itself never ends. */
        public Builder setBatchesPerEpoch(long batchesPerEpoch) {
            this.batchesPerEpoch = batchesPerEpoch;
            return this;
        }

        /**
         * The dataset.
         *
         * @throws IllegalArgumentException if the source is missing or a size is below 1
         */
        public ImageTextDataset build() {
            checkArgument(source != null, "setSource is required: an ImageTextSource such as a "
                    + "ShardSource over WebDataset shards");
            checkArgument(batchSize >= 1, "setBatchSize must be >= 1, got %s", batchSize);
            checkArgument(batchesPerEpoch >= 1, "setBatchesPerEpoch must be >= 1 (the source "
                    + "is endless), got %s", batchesPerEpoch);
            return new ImageTextDataset(this);
        }
    }
}
