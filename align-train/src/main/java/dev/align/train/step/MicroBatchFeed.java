package dev.align.train.step;

import static dev.align.core.Checks.checkArgument;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * A global batch of {@code N} pairs, handed to {@link GradientCache} one micro-batch at a time.
 * Gradient caching reads every micro-batch twice (once for the cached embeddings, once with a
 * graph), so a feed either holds the whole batch ({@link #of}) or reads it again from its source:
 * the second keeps memory flat in the global batch size, which then costs only the {@code [N, E]}
 * embeddings.
 *
 * <p>Within one pass the ranges asked for are consecutive and start at 0; a pass that starts again
 * at 0 must deliver exactly the pairs of the first.
 */
public interface MicroBatchFeed {

    /** {@code N}, the number of pairs in the global batch. */
    long pairs();

    /**
     * The pairs {@code [from, to)}.
     *
     * @param device where the arrays must live (the device that embeds this micro-batch)
     * @param manager owns the returned arrays; it is closed once the micro-batch is done
     * @return {@code pixels [to - from, 3, S, S]} and {@code ids [to - from, T]}
     * @throws java.io.UncheckedIOException if the source cannot be read
     */
    NDList load(long from, long to, Device device, NDManager manager);

    /**
     * A feed over a batch already in memory, {@code [pixels, ids]} as {@link #of(NDArray, NDArray)}
     * takes them.
     */
    static MicroBatchFeed of(NDList batch) {
        checkArgument(batch.size() == 2, "a batch is [pixels, ids], got %s arrays", batch.size());
        return of(batch.get(0), batch.get(1));
    }

    /**
     * A feed over a batch already in memory.
     *
     * @param pixels {@code [N, 3, S, S]} normalised pixels in the model's dtype
     * @param ids {@code [N, T]} token ids
     * @throws IllegalArgumentException if the shapes disagree
     */
    static MicroBatchFeed of(NDArray pixels, NDArray ids) {
        Shape pixelShape = pixels.getShape();
        Shape idShape = ids.getShape();
        checkArgument(pixelShape.dimension() == 4 && pixelShape.get(0) >= 1,
                "pixels must be [N, 3, S, S] with N >= 1, got %s", pixelShape);
        checkArgument(idShape.dimension() == 2 && idShape.get(0) == pixelShape.get(0),
                "ids must be [N, T] with the N of pixels %s, got %s", pixelShape, idShape);
        return new MicroBatchFeed() {
            @Override
            public long pairs() {
                return pixelShape.get(0);
            }

            @Override
            public NDList load(long from, long to, Device device, NDManager manager) {
                NDIndex rows = new NDIndex("{}:{}", from, to);
                return new NDList(slice(pixels, rows, device, manager), slice(ids, rows, device, manager));
            }
        };
    }

    private static NDArray slice(NDArray a, NDIndex rows, Device device, NDManager manager) {
        NDArray part = a.get(rows);
        if (!part.getDevice().equals(device)) {
            NDArray moved = part.toDevice(device, false);
            part.close();
            part = moved;
        }
        part.attach(manager);
        return part;
    }
}
