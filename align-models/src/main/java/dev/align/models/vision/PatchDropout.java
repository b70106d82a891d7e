package dev.align.models.vision;

import static dev.align.core.Checks.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.align.core.SplitMix64;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * FLIP's random patch dropout: at training time each image keeps a random
 * {@code max(1, (int) (N (1 - rate)))} of its {@code N} patch tokens, the class token always. The
 * choice is drawn from a generator keyed by (seed, call number, sample), so a run that restores
 * {@link #calls()} after a restart drops the same patches as one that never stopped.
 *
 * <p>Input {@code x [B, 1 + N, D]} with the class token first; output {@code [B, 1 + K, D]}.
 */
public final class PatchDropout {

    private final double rate;
    private long seed;
    private long calls;

    /** @param rate fraction of patch tokens dropped, in [0, 1) */
    public PatchDropout(double rate) {
        checkArgument(rate >= 0 && rate < 1, "patch dropout rate must be in [0, 1), got %s", rate);
        this.rate = rate;
    }

    /** The dropout rate. */
    public double rate() {
        return rate;
    }

    /** Number of patch tokens kept out of {@code patches}. */
    public int kept(int patches) {
        return Math.max(1, (int) (patches * (1 - rate)));
    }

    /** Sets the seed and the call counter (the generator's whole state). */
    public synchronized void setState(long seed, long calls) {
        this.seed = seed;
        this.calls = calls;
    }

    /** Training forwards so far, the state to checkpoint along with the seed. */
    public synchronized long calls() {
        return calls;
    }

    /** The seed set by {@link #setState(long, long)}. */
    public synchronized long seed() {
        return seed;
    }

    /** Keeps a random subset of the patch tokens of {@code x [B, 1 + N, D]}. */
    public NDArray apply(NDArray x) {
        long call;
        synchronized (this) {
            call = calls++;
        }
        int batch = Math.toIntExact(x.getShape().get(0));
        int patches = Math.toIntExact(x.getShape().get(1)) - 1;
        long width = x.getShape().get(2);
        int keep = kept(patches);
        long[] index = new long[batch * (keep + 1)];
        int[] order = new int[patches];
        for (int b = 0; b < batch; b++) {
            SplittableRandom random = new SplittableRandom(
                    mix(mix(seed ^ 0x5851F42D4C957F2DL, call), b));
            for (int i = 0; i < patches; i++) {
                order[i] = i;
            }
            for (int i = 0; i < keep; i++) {                  // partial Fisher-Yates
                int j = i + random.nextInt(patches - i);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
            Arrays.sort(order, 0, keep);                      // positions are already embedded
            int base = b * (keep + 1);
            index[base] = 0;                                  // the class token
            for (int i = 0; i < keep; i++) {
                index[base + 1 + i] = order[i] + 1L;
            }
        }
        // On CPU, DJL's create() wraps the Java buffer without copying, and only the returned
        // array keeps that buffer alive; gather's backward reads the index, so the index must
        // live as long as the graph: it stays in the input's manager (the step's scope).
        NDManager manager = x.getManager();
        NDArray idx = manager.create(index).reshape(batch, keep + 1, 1);
        return x.gather(idx.broadcast(batch, keep + 1, width), 1);              // [B, 1 + K, D]
    }

    private static long mix(long a, long b) {
        return SplitMix64.mix(a * SplitMix64.GOLDEN_GAMMA + b);
    }
}
