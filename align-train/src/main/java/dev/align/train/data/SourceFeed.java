package dev.align.train.data;

import static dev.align.core.Checks.checkArgument;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.align.core.data.ImageTextBatch;
import dev.align.core.data.ImageTextSource;
import dev.align.models.config.TextConfig;
import dev.align.train.step.MicroBatchFeed;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The next global batch of a training source, read micro-batch by micro-batch and read again from
 * the source for gradient caching's second pass ({@link ImageTextSource#seek} back to where the
 * batch began), so that no more than one micro-batch of pixels is ever in memory. After both
 * passes the source stands where it would after one {@code next(N)}: the pairs are the same ones
 * (a source delivers the same pairs after a seek), so a run's result does not depend on whether
 * it replays.
 *
 * <p>Token ids are cut to the columns the text tower needs ({@link TextConfig#columnsNeeded}):
 * short captions in a causal tower cost their own length, not the context length, and train the
 * same weights (the cut columns get no gradient either way).
 */
public final class SourceFeed implements MicroBatchFeed {

    private final ImageTextSource source;
    private final long pairs;
    private final TextConfig text;
    private final long start;
    private long cursor;
    private boolean readOnce;

    /**
     * A feed of the next {@code pairs} pairs of {@code source}, from its current position, for a
     * model whose text tower is {@code text}.
     *
     * @throws IllegalArgumentException if {@code pairs < 1}
     */
    public SourceFeed(ImageTextSource source, long pairs, TextConfig text) {
        checkArgument(pairs >= 1, "pairs must be >= 1, got %s", pairs);
        checkArgument(source != null && text != null, "source and text config must not be null");
        this.source = source;
        this.pairs = pairs;
        this.text = text;
        this.start = source.position();
    }

    @Override
    public long pairs() {
        return pairs;
    }

    @Override
    public NDList load(long from, long to, Device device, NDManager manager) {
        checkArgument(from >= 0 && from < to && to <= pairs, "range [%s, %s) is outside the "
                + "batch of %s pairs", from, to, pairs);
        try {
            if (from == 0 && readOnce) {
                source.seek(start);                                      // the second pass
                cursor = 0;
            }
            checkArgument(from == cursor, "micro-batches must be read in order: expected %s, "
                    + "got %s", cursor, from);
            ImageTextBatch batch = source.next(Math.toIntExact(to - from));
            cursor = to;
            readOnce = true;
            return arrays(batch, text, device, manager);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code pixels [b, 3, S, S]} and {@code ids [b, T']} of a batch, on {@code device}, where
     * {@code T'} is the columns the text tower {@code text} needs of the batch's {@code T}.
     */
    public static NDList arrays(ImageTextBatch batch, TextConfig text, Device device,
            NDManager manager) {
        int b = batch.size();
        int s = batch.imageSize();
        int t = batch.contextLength();
        long[] tokens = batch.tokenIds();
        int need = text.columnsNeeded(tokens, b, t);
        if (need < t) {
            long[] cut = new long[b * need];
            for (int r = 0; r < b; r++) {
                System.arraycopy(tokens, r * t, cut, r * need, need);
            }
            tokens = cut;
        }
        NDArray pixels = manager.create(batch.pixels(), new Shape(b, 3, s, s));
        NDArray ids = manager.create(tokens, new Shape(b, need));
        return new NDList(onDevice(pixels, device, manager), onDevice(ids, device, manager));
    }

    private static NDArray onDevice(NDArray a, Device device, NDManager manager) {
        if (a.getDevice().equals(device)) {
            return a;
        }
        NDArray moved = a.toDevice(device, false);
        moved.attach(manager);
        a.close();
        return moved;
    }
}
