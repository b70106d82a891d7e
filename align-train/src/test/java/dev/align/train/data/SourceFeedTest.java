package dev.align.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.align.core.data.ImageTextBatch;
import dev.align.core.data.ImageTextSource;
import dev.align.models.clip.ClipModel;
import dev.align.models.config.ClipConfig;
import dev.align.models.config.TextConfig;
import dev.align.models.config.TextPool;
import dev.align.models.loss.InfoNceLoss;
import dev.align.train.step.EmbeddingLoss;
import dev.align.train.step.GradientCache;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Training reads token ids cut to the columns the text tower needs: the loss and every gradient
 * must be those of the padded rows (a causal tower pooled at end of text never looks past it).
 */
class SourceFeedTest {

    private static final int N = 12;

    @Test
    void causalRowsAreCutToOnePastTheLastEndOfTextAndKeepTheirPrefix() {
        ClipConfig cfg = ClipConfig.test();
        int t = cfg.text().contextLength();
        ImageTextBatch batch = new Batches(cfg, 3, 21).next(N);
        int last = 0;
        for (int p : cfg.text().pool().positions(batch.tokenIds(), N, t)) {
            last = Math.max(last, p);
        }
        assertTrue(last + 1 < t, "the fixture must leave columns to cut");
        try (NDManager m = NDManager.newBaseManager()) {
            NDList arrays = SourceFeed.arrays(batch, cfg.text(), Device.cpu(), m);
            NDArray ids = arrays.get(1);
            assertEquals(new Shape(N, last + 1), ids.getShape());
            long[] cut = ids.toLongArray();
            for (int r = 0; r < N; r++) {
                for (int c = 0; c <= last; c++) {
                    assertEquals(batch.tokenIds()[r * t + c], cut[r * (last + 1) + c]);
                }
            }
            assertArrayEquals(batch.pixels(), arrays.get(0).toFloatArray());
        }
    }

    @Test
    void bidirectionalAndFirstTokenTowersKeepEveryColumn() {
        TextConfig causal = ClipConfig.test().text();
        TextConfig bert = new TextConfig(causal.contextLength(), causal.vocabSize(), causal.width(),
                causal.layers(), causal.heads(), causal.mlpRatio(), causal.activation(), false,
                TextPool.FIRST, 0);
        ImageTextBatch batch = new Batches(ClipConfig.test(), 3, 21).next(N);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray ids = SourceFeed.arrays(batch, bert, Device.cpu(), m).get(1);
            assertEquals(new Shape(N, causal.contextLength()), ids.getShape());
        }
        // causal, pooled at the first token: only that column decides the embedding
        TextConfig first = new TextConfig(causal.contextLength(), causal.vocabSize(),
                causal.width(), causal.layers(), causal.heads(), causal.mlpRatio(),
                causal.activation(), true, TextPool.FIRST, 0);
        assertEquals(1, first.columnsNeeded(batch.tokenIds(), N, causal.contextLength()));
    }

    @Test
    void cutRowsGiveThePaddedLossAndEveryGradientInFloat64() {
        ClipConfig cfg = ClipConfig.test();
        ImageTextBatch batch = new Batches(cfg, 3, 21).next(N);
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(cfg, manager, DataType.FLOAT64, 5);
            ParameterStore ps = new ParameterStore(manager, false);
            try (NDManager scope = manager.newSubManager()) {
                NDList cut = SourceFeed.arrays(batch, cfg.text(), Device.cpu(), scope);
                NDArray pixels = cut.get(0).toType(DataType.FLOAT64, false);
                NDArray padded = scope.create(batch.tokenIds(),
                        new Shape(N, batch.contextLength()));
                assertTrue(cut.get(1).getShape().get(1) < padded.getShape().get(1));
                GradientCache cache = new GradientCache(model,
                        EmbeddingLoss.autograd(new InfoNceLoss()), 5);
                double lossPadded = cache.forwardBackward(ps, pixels, padded);
                Map<String, double[]> gradPadded = gradients(model);
                double lossCut = cache.forwardBackward(ps, pixels, cut.get(1));
                Map<String, double[]> gradCut = gradients(model);
                assertEquals(lossPadded, lossCut, 1e-12);
                assertEquals(gradPadded.keySet(), gradCut.keySet());
                for (String name : gradPadded.keySet()) {
                    assertArrayEquals(gradPadded.get(name), gradCut.get(name), 1e-12, name);
                }
                assertTrue(maxAbs(gradCut.get("token_embedding.weight")) > 0);
            }
        }
    }

    @Test
    void theFeedReadsEachMicroBatchTwiceAndTrainsAsThePaddedBatch() {
        ClipConfig cfg = ClipConfig.test();
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(cfg, manager, DataType.FLOAT32, 5);
            ParameterStore ps = new ParameterStore(manager, false);
            GradientCache cache = new GradientCache(model,
                    EmbeddingLoss.autograd(new InfoNceLoss()), 5);
            Batches source = new Batches(cfg, 3, 21);
            double fed = cache.forwardBackward(ps, new SourceFeed(source, N, cfg.text()));
            Map<String, double[]> gradFed = gradients(model);
            assertEquals(N, source.position(), "after both passes the source stands past the batch");
            ImageTextBatch batch = new Batches(cfg, 3, 21).next(N);
            try (NDManager scope = manager.newSubManager()) {
                NDArray pixels = scope.create(batch.pixels(), new Shape(N, 3, 16, 16));
                NDArray padded = scope.create(batch.tokenIds(), new Shape(N, batch.contextLength()));
                double whole = cache.forwardBackward(ps, pixels, padded);
                Map<String, double[]> gradWhole = gradients(model);
                assertEquals(whole, fed, 1e-5);
                for (String name : gradWhole.keySet()) {
                    assertArrayEquals(gradWhole.get(name), gradFed.get(name),
                            1e-5 * Math.max(1, maxAbs(gradWhole.get(name))), name);
                }
            }
        }
    }

    /** Seekable in-memory pairs: captions of 1 to T - 3 words between start and end of text. */
    private static final class Batches implements ImageTextSource {
        private final int image;
        private final int context;
        private final int vocab;
        private final long seed;
        private final int longest;
        private long position;

        Batches(ClipConfig cfg, int margin, long seed) {
            this.image = cfg.vision().imageSize();
            this.context = cfg.text().contextLength();
            this.vocab = cfg.text().vocabSize();
            this.longest = context - margin;
            this.seed = seed;
        }

        @Override
        public ImageTextBatch next(int batchSize) {
            List<String> keys = new ArrayList<>();
            float[] pixels = new float[batchSize * 3 * image * image];
            long[] ids = new long[batchSize * context];
            for (int b = 0; b < batchSize; b++) {
                Random r = new Random(seed * 1_000_003 + position);
                for (int i = 0; i < 3 * image * image; i++) {
                    pixels[b * 3 * image * image + i] = (float) r.nextGaussian();
                }
                int words = 1 + r.nextInt(longest - 1);
                ids[b * context] = 1;
                for (int w = 1; w <= words; w++) {
                    ids[b * context + w] = 2 + r.nextInt(vocab - 3);
                }
                ids[b * context + words + 1] = vocab - 1;       // end of text: the largest id
                keys.add(Long.toString(position++));
            }
            return new ImageTextBatch(keys, image, pixels, context, ids);
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public void seek(long to) {
            position = to;
        }
    }

    private static Map<String, double[]> gradients(ClipModel model) {
        Map<String, double[]> out = new LinkedHashMap<>();
        model.openClipParameters().forEach((name, p) -> {
            if (p.requiresGradient()) {
                try (NDArray g = p.getArray().getGradient();
                        NDArray d = g.toType(DataType.FLOAT64, true)) {
                    out.put(name, d.toDoubleArray());
                    g.subi(g);
                }
            }
        });
        return out;
    }

    private static double maxAbs(double[] x) {
        double m = 0;
        for (double v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
