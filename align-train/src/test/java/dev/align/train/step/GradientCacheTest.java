package dev.align.train.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.align.models.clip.ClipModel;
import dev.align.models.config.ClipConfig;
import dev.align.models.loss.ChunkedSigLipLoss;
import dev.align.models.loss.ContrastiveLoss;
import dev.align.models.loss.InfoNceLoss;
import dev.align.models.loss.SigLipLoss;
import dev.align.models.vision.PatchDropout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradient caching must reproduce the single-pass loss and every parameter gradient. The
 * reference is one graph: the whole global batch through the towers, the loss on all of it, one
 * backward inside one collector. Errors are {@code max|a - b| / max(1, max|b|)} over each
 * parameter.
 */
class GradientCacheTest {

    private static final int VOCAB = 64;
    private static final int CONTEXT = 8;
    private static final int IMAGE = 16;

    enum LossKind { INFO_NCE, CHUNKED_INFO_NCE, SIGLIP, CHUNKED_SIGLIP }

    private static final Map<String, Double> WORST = new LinkedHashMap<>();

    static Stream<Arguments> batches() {
        List<Arguments> out = new ArrayList<>();
        for (LossKind kind : LossKind.values()) {
            for (DataType dt : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
                for (int n : new int[] {1, 7, 12}) {
                    for (int micro : new int[] {1, 3, 5, n}) {
                        out.add(Arguments.of(kind, dt, n, micro));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} N={2} micro={3}")
    @MethodSource("batches")
    void equalsSinglePassLossAndEveryGradient(LossKind kind, DataType dt, int n, int micro) {
        check(kind, dt, n, micro, ClipConfig.test(), false);
    }

    /**
     * With FLIP patch dropout the draws are keyed by (seed, call, index within the micro-batch),
     * so a full-batch forward would drop other patches than a micro-batched one and the two are not
     * comparable. The reference therefore runs the towers micro-batch by micro-batch from the same
     * {@link PatchDropout} state, but still inside one collector with one loss over the whole
     * batch and one backward: a single graph, the quantity gradient caching claims to reproduce.
     * Without dropout the towers act per sample, so this chunking changes nothing (the test above
     * uses an unchunked reference).
     */
    @ParameterizedTest(name = "{0} {1} N={2} micro={3}")
    @MethodSource("batches")
    void equalsSinglePassWithPatchDropout(LossKind kind, DataType dt, int n, int micro) {
        ClipConfig cfg = ClipConfig.test();
        check(kind, dt, n, micro, cfg.withVision(cfg.vision().withPatchDropout(0.5)), true);
    }

    private static void check(LossKind kind, DataType dt, int n, int micro, ClipConfig base,
            boolean dropout) {
        ClipConfig cfg = kind == LossKind.INFO_NCE || kind == LossKind.CHUNKED_INFO_NCE ? base : base.withSigLipInit();
        double tol = dt == DataType.FLOAT64 ? 1e-10 : 1e-5;
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(cfg, manager, dt, 11);
            ParameterStore ps = new ParameterStore(manager, false);
            PatchDropout pd = model.visual().patchDropout();
            assertEquals(dropout, pd != null);
            try (NDManager batch = manager.newSubManager()) {
                NDArray pixels = pixels(batch, n, dt, 5);
                NDArray ids = ids(batch, n, 6);
                if (pd != null) {
                    pd.setState(99, 1000);
                }
                GradientCache cache = new GradientCache(model, embeddingLoss(kind), micro);
                double cached = cache.forwardBackward(ps, pixels, ids);
                if (pd != null) {
                    assertEquals(1000 + cache.microBatches(n), pd.calls(),
                            "counter must advance by the number of micro-batches");
                }
                Map<String, double[]> cachedGrads = gradients(model, true);

                if (pd != null) {
                    pd.setState(99, 1000);
                }
                double single = singlePass(model, ps, reference(kind), pixels, ids,
                        dropout ? micro : n);
                Map<String, double[]> singleGrads = gradients(model, true);

                String key = kind + " " + dt + (dropout ? " dropout" : "");
                record(key + " loss", relError(new double[] {cached}, new double[] {single}), tol);
                assertEquals(singleGrads.keySet(), cachedGrads.keySet());
                for (String name : singleGrads.keySet()) {
                    double err = relError(cachedGrads.get(name), singleGrads.get(name));
                    record(key + " grads", err, tol);
                    assertTrue(err <= tol, () -> name + " differs by " + err);
                }
                // InfoNCE over one pair is log(1) = 0 for any weights: nothing to learn.
                if (n > 1 || (kind != LossKind.INFO_NCE && kind != LossKind.CHUNKED_INFO_NCE)) {
                    assertTrue(maxAbs(singleGrads.get("logit_scale")) > 0, "logit_scale must learn");
                }
            }
        }
    }

    @Test
    void lockedImageTowerGetsNoGradientAndTextAndScaleStillLearn() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(ClipConfig.test(), manager, DataType.FLOAT64, 3);
            model.lockImageTower(true);
            ParameterStore ps = new ParameterStore(manager, false);
            try (NDManager batch = manager.newSubManager()) {
                NDArray pixels = pixels(batch, 7, DataType.FLOAT64, 1);
                NDArray ids = ids(batch, 7, 2);
                new GradientCache(model, EmbeddingLoss.autograd(new InfoNceLoss()), 3)
                        .forwardBackward(ps, pixels, ids);
                Map<String, double[]> cached = gradients(model, true);
                for (Map.Entry<String, Parameter> e : model.openClipParameters().entrySet()) {
                    if (e.getKey().startsWith("visual.")) {
                        assertFalse(cached.containsKey(e.getKey()), e.getKey());
                        assertFalse(e.getValue().getArray().hasGradient(), e.getKey());
                    }
                }
                singlePass(model, ps, new InfoNceLoss(), pixels, ids, 7);
                Map<String, double[]> single = gradients(model, true);
                assertEquals(single.keySet(), cached.keySet());
                assertTrue(cached.containsKey("logit_scale") && cached.containsKey("text_projection"));
                for (String name : single.keySet()) {
                    double err = relError(cached.get(name), single.get(name));
                    record("locked image FLOAT64 grads", err, 1e-10);
                    assertTrue(err <= 1e-10, () -> name + " differs by " + err);
                    assertTrue(maxAbs(single.get(name)) > 0 || name.contains("bias"), name);
                }
            }
        }
    }

    /**
     * Two runs training at once on two threads (the curation experiment's parallel runs): while
     * another thread holds a DJL {@code GradientCollector} open, a step still computes, and gives
     * the same loss and gradients bit for bit. DJL's PyTorch collector allows one open collector
     * per process and throws on a second, so a step that opened one would fail here.
     */
    @Test
    void aStepComputesTheSameWhileAnotherThreadHoldsACollector() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(ClipConfig.test(), manager, DataType.FLOAT32, 6);
            ParameterStore ps = new ParameterStore(manager, false);
            GradientCache cache = new GradientCache(model, EmbeddingLoss.autograd(new InfoNceLoss()), 3);
            try (NDManager batch = manager.newSubManager()) {
                NDArray pixels = pixels(batch, 7, DataType.FLOAT32, 3);
                NDArray ids = ids(batch, 7, 4);
                double alone = cache.forwardBackward(ps, pixels, ids);
                Map<String, double[]> aloneGrads = gradients(model, true);

                java.util.concurrent.CountDownLatch open = new java.util.concurrent.CountDownLatch(1);
                java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
                AtomicReference<Throwable> otherFailed = new AtomicReference<>();
                Thread other = new Thread(() -> {
                    try (GradientCollector c = manager.getEngine().newGradientCollector()) {
                        open.countDown();
                        done.await();
                    } catch (Throwable t) {
                        otherFailed.set(t);
                        open.countDown();
                    }
                });
                other.start();
                open.await();
                double together;
                try {
                    together = cache.forwardBackward(ps, pixels, ids);
                } finally {
                    done.countDown();
                    other.join();
                }
                assertEquals(null, otherFailed.get());
                assertEquals(alone, together);
                Map<String, double[]> togetherGrads = gradients(model, true);
                assertEquals(aloneGrads.keySet(), togetherGrads.keySet());
                for (String name : aloneGrads.keySet()) {
                    assertEquals(0.0, relError(togetherGrads.get(name), aloneGrads.get(name)), name);
                }
            }
        }
    }

    /** DJL.md section 6: threads other than the engine's start with grad mode on. */
    @Test
    void runsOnAThreadWhereGradModeIsOnAndLeavesItOn() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(ClipConfig.test(), manager, DataType.FLOAT64, 4);
            ParameterStore ps = new ParameterStore(manager, false);
            EmbeddingLoss inner = EmbeddingLoss.autograd(new InfoNceLoss());
            List<Boolean> cachedHasGraph = new ArrayList<>();
            EmbeddingLoss spy = (img, txt, s, b) -> {
                cachedHasGraph.add(hasGraph(img));
                cachedHasGraph.add(hasGraph(txt));
                return inner.lossAndGradients(img, txt, s, b);
            };
            GradientCache cache = new GradientCache(model, spy, 2);
            try (NDManager batch = manager.newSubManager()) {
                NDArray pixels = pixels(batch, 5, DataType.FLOAT64, 7);
                NDArray ids = ids(batch, 5, 8);
                double here = cache.forwardBackward(ps, pixels, ids);
                Map<String, double[]> hereGrads = gradients(model, true);
                AtomicReference<Object> there = new AtomicReference<>();
                Thread worker = new Thread(() -> {
                    try {
                        boolean before = JniUtils.isGradMode();
                        double v = cache.forwardBackward(ps, pixels, ids);
                        there.set(new Object[] {before, v, JniUtils.isGradMode()});
                    } catch (Throwable t) {
                        there.set(t);
                    }
                });
                worker.start();
                worker.join();
                if (there.get() instanceof Throwable t) {
                    throw new AssertionError(t);
                }
                Object[] r = (Object[]) there.get();
                assertTrue((Boolean) r[0], "DJL.md: grad mode is on off the engine's thread");
                assertTrue((Boolean) r[2], "grad mode must be restored");
                assertEquals(here, (Double) r[1], 1e-12);
                assertEquals(List.of(false, false, false, false), cachedHasGraph,
                        "pass 1 must build no graph, on either thread");
                Map<String, double[]> thereGrads = gradients(model, true);
                for (String name : hereGrads.keySet()) {
                    assertTrue(relError(thereGrads.get(name), hereGrads.get(name)) <= 1e-12, name);
                }
            }
        }
    }

    /** 50 steps: the model's array count stays flat and the batch manager holds only the batch. */
    @Test
    void fiftyStepsLeakNoArrays() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipConfig cfg = ClipConfig.test().withSigLipInit();
            ClipModel model = ClipModel.create(cfg.withVision(cfg.vision().withPatchDropout(0.5)),
                    manager, DataType.FLOAT32, 5);
            ParameterStore ps = new ParameterStore(manager, false);
            GradientCache[] caches = {
                new GradientCache(model, EmbeddingLoss.autograd(new SigLipLoss()), 3),
                new GradientCache(model, EmbeddingLoss.chunked(new ChunkedSigLipLoss(2)), 4)};
            int baseline = -1;
            for (int step = 0; step < 50; step++) {
                try (NDManager batch = manager.newSubManager()) {
                    NDArray pixels = pixels(batch, 7, DataType.FLOAT32, step);
                    NDArray ids = ids(batch, 7, step);
                    double loss = caches[step % 2].forwardBackward(ps, pixels, ids);
                    assertTrue(Double.isFinite(loss));
                    assertEquals(2, batch.getManagedArrays().size(),
                            "only the batch may remain in its manager at step " + step);
                }
                zeroGradients(model);
                int live = manager.getManagedArrays().size();
                if (step == 1) {
                    baseline = live;
                } else if (step > 1) {
                    assertEquals(baseline, live, "live arrays in the model manager at step " + step);
                }
            }
            assertEquals(model.openClipParameters().size(), baseline);
        }
    }

    /**
     * Within one call: the loss sees only the batch and the two cached {@code [N, E]} embedding
     * matrices, and every micro-batch starts with the same number of live arrays (its
     * predecessor's graph is gone). Observed through the parameter store, which each image
     * forward asks for {@code visual.conv1.weight}.
     */
    @Test
    void holdsOneMicroBatchGraphAtATime() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipConfig cfg = ClipConfig.test();
            ClipModel model = ClipModel.create(cfg.withVision(cfg.vision().withPatchDropout(0.5)),
                    manager, DataType.FLOAT32, 6);
            Parameter conv = model.openClipParameters().get("visual.conv1.weight");
            List<Integer> liveAtImageForward = new ArrayList<>();
            ParameterStore ps = new ParameterStore(manager, false) {
                @Override
                public NDArray getValue(Parameter p, ai.djl.Device device, boolean training) {
                    if (p == conv) {
                        liveAtImageForward.add(manager.getManagedArrays().size());
                    }
                    return super.getValue(p, device, training);
                }
            };
            try (NDManager batch = manager.newSubManager()) {
                NDArray pixels = pixels(batch, 12, DataType.FLOAT32, 3);
                NDArray ids = ids(batch, 12, 3);
                List<String> atLoss = new ArrayList<>();
                EmbeddingLoss inner = EmbeddingLoss.autograd(new InfoNceLoss());
                java.util.Set<NDArray> weights = java.util.Collections.newSetFromMap(
                        new java.util.IdentityHashMap<>());
                model.openClipParameters().values().forEach(p -> weights.add(p.getArray()));
                EmbeddingLoss spy = (img, txt, s, b) -> {
                    manager.getManagedArrays().stream().filter(a -> !weights.contains(a))
                            .forEach(a -> atLoss.add(a.getShape().toString()));
                    return inner.lossAndGradients(img, txt, s, b);
                };
                new GradientCache(model, spy, 3).forwardBackward(ps, pixels, ids);
                atLoss.sort(null);
                assertEquals(List.of("(12, 24)", "(12, 24)", "(12, 3, 16, 16)", "(12, 8)"), atLoss,
                        "at the loss only the batch and the cached [N, E] embeddings may be live");
                assertEquals(8, liveAtImageForward.size(), "4 micro-batches, 2 passes");
                for (int k = 1; k < 4; k++) {
                    // pass 1 keeps exactly the micro-batch's two [b, E] embeddings, nothing else
                    assertEquals(liveAtImageForward.get(0) + 2 * k, liveAtImageForward.get(k),
                            "pass 1 grows at micro-batch " + k + ": " + liveAtImageForward);
                    assertEquals(liveAtImageForward.get(4), liveAtImageForward.get(4 + k),
                            "pass 2 grows at micro-batch " + k + ": " + liveAtImageForward);
                }
            }
        }
    }

    @Test
    void rejectsMismatchedBatch() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(ClipConfig.test(), manager, DataType.FLOAT32, 1);
            GradientCache cache = new GradientCache(model, EmbeddingLoss.autograd(new InfoNceLoss()), 2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> cache.forwardBackward(new ParameterStore(manager, false),
                            pixels(manager, 3, DataType.FLOAT32, 1), ids(manager, 4, 1)));
            assertTrue(e.getMessage().contains("(4, 8)"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> new GradientCache(model, EmbeddingLoss.autograd(new InfoNceLoss()), 0));
        }
    }

    // --- reference and helpers ---

    /** One graph over the whole batch; towers forwarded {@code towerChunk} rows at a time. */
    private static double singlePass(ClipModel model, ParameterStore ps, ContrastiveLoss loss,
            NDArray pixels, NDArray ids, int towerChunk) {
        long n = pixels.getShape().get(0);
        try (NDScope scope = new NDScope();
                GradientCollector gc = manager(model).getEngine().newGradientCollector()) {
            NDList images = new NDList();
            NDList texts = new NDList();
            for (long s = 0; s < n; s += towerChunk) {
                NDIndex rows = new NDIndex("{}:{}", s, Math.min(n, s + towerChunk));
                images.add(model.encodeImage(ps, pixels.get(rows), true));
                texts.add(model.encodeText(ps, ids.get(rows), true));
            }
            NDArray img = images.size() == 1 ? images.get(0) : NDArrays.concat(images);
            NDArray txt = texts.size() == 1 ? texts.get(0) : NDArrays.concat(texts);
            NDArray value = loss.compute(img, txt, model.logitScale().getArray(),
                    model.logitBias() == null ? null : model.logitBias().getArray());
            gc.backward(value);
            return value.toType(DataType.FLOAT64, false).getDouble();
        }
    }

    /**
     * Whether {@code x} has an autograd graph behind it. {@code JniUtils.requiresGrad} cannot
     * tell (it is false for every non-leaf, even inside a collector) and asking a leaf for its
     * {@code grad_fn} crashes the JVM, so try a backward: without a graph PyTorch refuses it.
     */
    private static boolean hasGraph(NDArray x) {
        try (NDArray ones = x.onesLike()) {
            JniUtils.backward((ai.djl.pytorch.engine.PtNDArray) x,
                    (ai.djl.pytorch.engine.PtNDArray) ones, false, false);
            return true;
        } catch (ai.djl.engine.EngineException e) {
            return false;
        }
    }

    private static NDManager manager(ClipModel model) {
        return model.logitScale().getArray().getManager();
    }

    static EmbeddingLoss embeddingLoss(LossKind kind) {
        return switch (kind) {
            case INFO_NCE -> EmbeddingLoss.autograd(new InfoNceLoss());
            case SIGLIP -> EmbeddingLoss.autograd(new SigLipLoss());
            case CHUNKED_SIGLIP -> EmbeddingLoss.chunked(new ChunkedSigLipLoss(4));
            case CHUNKED_INFO_NCE -> EmbeddingLoss.chunked(new dev.align.models.loss.ChunkedInfoNceLoss(4, 0));
        };
    }

    private static ContrastiveLoss reference(LossKind kind) {
        return kind == LossKind.INFO_NCE || kind == LossKind.CHUNKED_INFO_NCE ? new InfoNceLoss()
                : new SigLipLoss();
    }

    /** Every trainable parameter's gradient as float64, then zeroed (as an optimizer would). */
    static Map<String, double[]> gradients(ClipModel model, boolean zero) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.openClipParameters().entrySet()) {
            NDArray w = e.getValue().getArray();
            if (!e.getValue().requiresGradient()) {
                continue;
            }
            try (NDArray g = w.getGradient(); NDArray d = g.toType(DataType.FLOAT64, true)) {
                out.put(e.getKey(), d.toDoubleArray());
                if (zero) {
                    g.subi(g);
                }
            }
        }
        return out;
    }

    private static void zeroGradients(ClipModel model) {
        gradients(model, true);
    }

    static NDArray pixels(NDManager m, int n, DataType dt, long seed) {
        Random r = new Random(seed);
        double[] v = new double[n * 3 * IMAGE * IMAGE];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        NDArray x = m.create(v, new Shape(n, 3, IMAGE, IMAGE));
        if (dt == DataType.FLOAT64) {
            return x;
        }
        NDArray y = x.toType(dt, false);
        x.close();
        return y;
    }

    /** Start 1, ids in [2, V-2], EOT V-1, pad 0; lengths 1..T-2 tokens between. */
    static NDArray ids(NDManager m, int n, long seed) {
        Random r = new Random(seed ^ 0x1234);
        long[] v = new long[n * CONTEXT];
        for (int b = 0; b < n; b++) {
            int len = 1 + r.nextInt(CONTEXT - 2);
            v[b * CONTEXT] = 1;
            for (int t = 1; t <= len; t++) {
                v[b * CONTEXT + t] = 2 + r.nextInt(VOCAB - 3);
            }
            v[b * CONTEXT + len + 1] = VOCAB - 1;
        }
        return m.create(v, new Shape(n, CONTEXT));
    }

    static double relError(double[] a, double[] b) {
        assertNotNull(a);
        assertEquals(b.length, a.length);
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        return diff / Math.max(1, maxAbs(b));
    }

    private static double maxAbs(double[] x) {
        double m = 0;
        for (double v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static void record(String key, double err, double tol) {
        synchronized (WORST) {
            WORST.merge(key, err, Math::max);
        }
        assertTrue(err <= tol, () -> key + " error " + err + " > " + tol);
    }

    @org.junit.jupiter.api.AfterAll
    static void printWorst() {
        WORST.forEach((k, v) -> System.out.printf("worst %-40s %.3e%n", k, v));
    }
}
