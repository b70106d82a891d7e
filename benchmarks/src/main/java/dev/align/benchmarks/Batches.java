package dev.align.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.align.models.config.ClipConfig;
import dev.align.models.config.TextConfig;
import java.util.SplittableRandom;

/**
 * Synthetic inputs, drawn from a seeded Java generator so every run sees the same batch. Like the
 * peer, a benchmark builds one batch and reuses it every step: this measures the model, not data
 * generation.
 */
final class Batches {

    private Batches() {}

    /** Standard-normal pixels {@code [B, 3, S, S]} float32. */
    static NDArray pixels(NDManager manager, ClipConfig c, int b, long seed) {
        int s = c.vision().imageSize();
        float[] data = gaussian(b * 3 * s * s, seed);
        return manager.create(data, new Shape(b, 3, s, s));
    }

    /**
     * CLIP-style token ids {@code [B, T]} int64: start 1, body ids in {@code [2, V-2]}, end of text
     * {@code V-1} (the text tower pools at the argmax id), then pad 0; lengths (with start and
     * end) uniform in {@code [2, T]}.
     */
    static NDArray ids(NDManager manager, ClipConfig c, int b, long seed) {
        TextConfig t = c.text();
        int ctx = t.contextLength();
        int v = t.vocabSize();
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] ids = new long[b * ctx];
        for (int i = 0; i < b; i++) {
            int len = rnd.nextInt(2, ctx + 1);
            ids[i * ctx] = 1;
            for (int j = 1; j < len - 1; j++) {
                ids[i * ctx + j] = rnd.nextInt(2, v - 1);
            }
            ids[i * ctx + len - 1] = v - 1;
        }
        return manager.create(ids, new Shape(b, ctx));
    }

    /** Random unit rows {@code [B, E]} float32, as a tower's L2-normalised output. */
    static NDArray unitRows(NDManager manager, int b, int e, long seed) {
        float[] data = gaussian(b * e, seed);
        for (int i = 0; i < b; i++) {
            double norm = 0;
            for (int j = 0; j < e; j++) {
                norm += (double) data[i * e + j] * data[i * e + j];
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int j = 0; j < e; j++) {
                data[i * e + j] *= inv;
            }
        }
        return manager.create(data, new Shape(b, e));
    }

    static NDArray scalar(NDManager manager, double value) {
        return manager.create((float) value).toType(DataType.FLOAT32, false);
    }

    private static float[] gaussian(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] data = new float[n];
        for (int i = 0; i < n; i += 2) {
            // Box-Muller: two normals per pair of uniforms
            double r = Math.sqrt(-2 * Math.log(1 - rnd.nextDouble()));
            double a = 2 * Math.PI * rnd.nextDouble();
            data[i] = (float) (r * Math.cos(a));
            if (i + 1 < n) {
                data[i + 1] = (float) (r * Math.sin(a));
            }
        }
        return data;
    }
}
