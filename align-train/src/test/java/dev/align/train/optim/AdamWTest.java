package dev.align.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.align.models.clip.ClipModel;
import dev.align.models.clip.ClipOutput;
import dev.align.models.config.ClipConfig;
import dev.align.models.io.IncompatibleWeightsException;
import dev.align.models.io.OpenClipWeights;
import dev.align.models.loss.InfoNceLoss;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdamWTest {

    @TempDir
    Path dir;

    /**
     * One InfoNCE forward/backward on {@code model} of 3 pairs whose pixels depend only on
     * {@code seed} (no engine RNG, no patch dropout: the resumed run must see the same batches).
     */
    private static void backward(ClipModel model, NDManager manager, long seed) {
        try (NDManager scope = manager.newSubManager()) {
            java.util.Random random = new java.util.Random(seed);
            float[] values = new float[3 * 3 * 16 * 16];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextGaussian();
            }
            NDArray pixels = scope.create(values, new Shape(3, 3, 16, 16));
            NDArray ids = scope.create(new long[][] {{1, 5, 63, 0, 0}, {1, 2, 3, 4, 63}, {1, 63, 0, 0, 0}});
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                ClipOutput out = model.forward(new ParameterStore(scope, false), pixels, ids, false);
                NDArray loss = new InfoNceLoss().compute(out.imageEmbeds(), out.textEmbeds(), out.logitScale(), null);
                loss.attach(scope);
                gc.backward(loss);
            }
        }
    }

    private static Map<String, float[]> weights(ClipModel model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        model.openClipParameters().forEach((n, p) -> out.put(n, p.getArray().toFloatArray()));
        return out;
    }

    @Test
    void groupsFollowOpenClip() {
        try (NDManager manager = NDManager.newBaseManager();
                AdamW opt = new AdamW(ClipModel.create(ClipConfig.test(), manager, DataType.FLOAT32, 1)
                        .openClipParameters(), AdamWConfig.openClip())) {
            assertTrue(opt.decayedNames().contains("visual.conv1.weight"));
            assertTrue(opt.decayedNames().contains("token_embedding.weight"));
            assertTrue(opt.decayedNames().contains("text_projection"));
            for (String name : new String[] {"visual.class_embedding", "visual.positional_embedding",
                    "positional_embedding", "logit_scale", "ln_final.weight", "ln_final.bias"}) {
                assertTrue(opt.undecayedNames().contains(name), name);
            }
            assertTrue(opt.decayedNames().stream().noneMatch(n -> n.endsWith(".bias")));
            assertTrue(opt.describeGroups().startsWith("decayed: " + opt.decayedNames().size() + " tensors"),
                    opt.describeGroups());
        }
    }

    @Test
    void resumedRunIsBitIdenticalToUninterrupted() throws Exception {
        AdamWConfig cfg = AdamWConfig.openClip().withWeightDecay(0.1);
        CosineSchedule schedule = new CosineSchedule(1e-2, 1e-4, 2, 6);
        Map<String, float[]> uninterrupted;
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(ClipConfig.test(), manager, DataType.FLOAT32, 5);
            try (AdamW opt = new AdamW(model.openClipParameters(), cfg)) {
                for (int step = 0; step < 6; step++) {
                    backward(model, manager, step);
                    GradClip.clipGlobalNorm(model.openClipParameters().values(), 1.0);
                    opt.step(schedule.lr(step));
                }
            }
            uninterrupted = weights(model);
        }
        Path weightsFile = dir.resolve("model.safetensors");
        Path stateFile = dir.resolve("adamw.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(ClipConfig.test(), manager, DataType.FLOAT32, 5);
            try (AdamW opt = new AdamW(model.openClipParameters(), cfg)) {
                for (int step = 0; step < 3; step++) {
                    backward(model, manager, step);
                    GradClip.clipGlobalNorm(model.openClipParameters().values(), 1.0);
                    opt.step(schedule.lr(step));
                }
                OpenClipWeights.save(model, weightsFile);
                opt.saveState(stateFile);
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(ClipConfig.test(), manager, DataType.FLOAT32, 99);
            OpenClipWeights.load(model, weightsFile);
            try (AdamW opt = new AdamW(model.openClipParameters(), cfg)) {
                opt.loadState(stateFile);
                assertEquals(3, opt.stepCount());
                for (int step = 3; step < 6; step++) {
                    backward(model, manager, step);
                    GradClip.clipGlobalNorm(model.openClipParameters().values(), 1.0);
                    opt.step(schedule.lr(step));
                }
            }
            Map<String, float[]> resumed = weights(model);
            assertEquals(uninterrupted.keySet(), resumed.keySet());
            uninterrupted.forEach((name, w) -> assertArrayEquals(w, resumed.get(name), 0f, name));
        }
    }

    @Test
    void liveArrayCountIsFlatOver200Steps() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Parameter> params = new LinkedHashMap<>();
            params.put("visual.proj", OptimTesting.parameter(manager, "visual.proj", new double[12], new Shape(4, 3)));
            params.put("logit_scale", OptimTesting.parameter(manager, "logit_scale", new double[] {2.6}, new Shape()));
            try (AdamW opt = new AdamW(params, AdamWConfig.openClip());
                    NDManager grads = NDManager.newBaseManager()) {
                Map<String, NDArray> g = Map.of(
                        "visual.proj", grads.ones(new Shape(4, 3), DataType.FLOAT64),
                        "logit_scale", grads.create(-0.5));
                int[] counts = new int[201];
                for (int step = 0; step <= 200; step++) {
                    OptimTesting.addGradients(params, g);
                    GradClip.clipGlobalNorm(params.values(), 1.0);
                    opt.step(1e-3);
                    counts[step] = manager.getManagedArrays().size() + opt.manager().getManagedArrays().size()
                            + grads.getManagedArrays().size();
                }
                assertEquals(counts[1], counts[200], "live arrays after step 1 vs step 200");
                assertEquals(2 + 4 + 2, counts[200]); // 2 weights, m and v for each, 2 gradients G
            }
        }
    }

    @Test
    void zeroesGradientsAndSkipsFrozenAndGradientlessParameters() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Parameter> params = new LinkedHashMap<>();
            params.put("a.weight", OptimTesting.parameter(manager, "a.weight", new double[] {1, 2, 3, 4}, new Shape(2, 2)));
            params.put("b.weight", OptimTesting.parameter(manager, "b.weight", new double[] {1, 2, 3, 4}, new Shape(2, 2)));
            params.put("c.bias", OptimTesting.parameter(manager, "c.bias", new double[] {5, 6}, new Shape(2)));
            try (AdamW opt = new AdamW(params, AdamWConfig.openClip())) {
                OptimTesting.addGradients(params, Map.of(
                        "a.weight", manager.ones(new Shape(2, 2), DataType.FLOAT64),
                        "b.weight", manager.ones(new Shape(2, 2), DataType.FLOAT64)));
                params.get("b.weight").freeze(true);
                opt.step(0.1);
                assertNotEquals(1.0, params.get("a.weight").getArray().getDouble(0, 0));
                assertArrayEquals(new double[] {1, 2, 3, 4}, params.get("b.weight").getArray().toDoubleArray(), 0);
                assertArrayEquals(new double[] {5, 6}, params.get("c.bias").getArray().toDoubleArray(), 0);
                try (NDArray g = params.get("a.weight").getArray().getGradient()) {
                    assertArrayEquals(new double[4], g.toDoubleArray(), 0, "gradient zeroed after the step");
                }
            }
        }
    }

    /**
     * DJL turns grad mode off only on the thread that loaded the engine; elsewhere an in-place
     * update of a requires-grad leaf throws. step() must work there and leave weights as leaves.
     */
    @Test
    void stepsOnThreadsWithGradModeOnAndKeepWeightsLeaves() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter p = OptimTesting.parameter(manager, "w.weight", new double[] {1, 2, 3, 4}, new Shape(2, 2));
            Map<String, Parameter> params = Map.of("w.weight", p);
            try (AdamW opt = new AdamW(params, AdamWConfig.openClip())) {
                AtomicReference<Throwable> failure = new AtomicReference<>();
                AtomicReference<Boolean> gradModeOnWorker = new AtomicReference<>();
                AtomicReference<Throwable> rawInPlace = new AtomicReference<>();
                Thread worker = new Thread(() -> {
                    try {
                        gradModeOnWorker.set(JniUtils.isGradMode());
                        try {
                            p.getArray().muli(1.0);
                        } catch (Throwable t) {
                            rawInPlace.set(t);
                        }
                        OptimTesting.addGradients(params, Map.of("w.weight", manager.ones(new Shape(2, 2), DataType.FLOAT64)));
                        opt.step(0.1);
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                });
                worker.start();
                worker.join();
                assertEquals(null, failure.get());
                assertTrue(gradModeOnWorker.get(), "grad mode is on by default on a new thread");
                assertTrue(rawInPlace.get() instanceof EngineException,
                        "an in-place op on a requires-grad leaf with grad mode on throws");
                assertFalse(JniUtils.isGradMode(), "main thread: grad mode stays off");
                assertNotEquals(1.0, p.getArray().getDouble(0, 0));
                // Still a leaf on the main thread too: a fresh backward gives exactly G.
                OptimTesting.addGradients(params, Map.of("w.weight", manager.create(new double[] {3, 3, 3, 3}, new Shape(2, 2))));
                try (NDArray g = p.getArray().getGradient()) {
                    assertArrayEquals(new double[] {3, 3, 3, 3}, g.toDoubleArray(), 0);
                }
            }
        }
    }

    @Test
    void loadingStateOfAnotherModelNamesTheKeys() throws Exception {
        Path file = dir.resolve("state.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Parameter> a = new LinkedHashMap<>();
            a.put("visual.proj", OptimTesting.parameter(manager, "visual.proj", new double[6], new Shape(2, 3)));
            a.put("logit_scale", OptimTesting.parameter(manager, "logit_scale", new double[] {1}, new Shape()));
            try (AdamW opt = new AdamW(a, AdamWConfig.openClip())) {
                OptimTesting.addGradients(a, Map.of("visual.proj", manager.ones(new Shape(2, 3), DataType.FLOAT64)));
                opt.step(0.1);
                opt.saveState(file);
            }
            Map<String, Parameter> b = new LinkedHashMap<>();
            b.put("visual.proj", OptimTesting.parameter(manager, "visual.proj", new double[6], new Shape(3, 2)));
            b.put("text_projection", OptimTesting.parameter(manager, "text_projection", new double[4], new Shape(2, 2)));
            try (AdamW opt = new AdamW(b, AdamWConfig.openClip())) {
                IncompatibleWeightsException e = assertThrows(IncompatibleWeightsException.class,
                        () -> opt.loadState(file));
                assertTrue(e.getMessage().contains("[text_projection]"), e.getMessage());
                assertTrue(e.getMessage().contains("[logit_scale]"), e.getMessage());
                assertTrue(e.getMessage().contains("m.visual.proj has shape [2, 3]"), e.getMessage());
                assertEquals(0, opt.stepCount());
            }
            try (AdamW opt = new AdamW(a, AdamWConfig.openClip().withWeightDecay(0.1))) {
                IncompatibleWeightsException e = assertThrows(IncompatibleWeightsException.class,
                        () -> opt.loadState(file));
                assertTrue(e.getMessage().contains("weight_decay was 0.2"), e.getMessage());
            }
        }
    }

    @Test
    void rejectsUseAfterCloseAndBadLr() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Parameter> a = Map.of("w", OptimTesting.parameter(manager, "w", new double[] {1}, new Shape(1)));
            AdamW opt = new AdamW(a, AdamWConfig.openClip());
            assertThrows(IllegalArgumentException.class, () -> opt.step(Double.NaN));
            opt.close();
            opt.close();
            assertThrows(IllegalStateException.class, () -> opt.step(1e-3));
        }
    }
}
