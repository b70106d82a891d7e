package dev.align.train.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.align.models.clip.ClipModel;
import dev.align.models.config.ClipConfig;
import dev.align.models.loss.InfoNceLoss;
import dev.align.models.vision.PatchDropout;
import dev.align.train.step.GradientCacheTest.LossKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The data-parallel path (micro-batches spread over several devices, embeddings gathered on
 * device 0 for one global loss, gradient slices pushed back, replica gradients summed) must give
 * the one-device loss and gradients. Every entry here is the CPU, each with its own parameter
 * copy, so the whole path runs; only the copies between physical devices are trivial.
 */
class DataParallelTest {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (LossKind kind : new LossKind[] {LossKind.INFO_NCE, LossKind.CHUNKED_SIGLIP, LossKind.SIGLIP}) {
            for (DataType dt : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
                out.add(Arguments.of(kind, dt, 7, 2, 2, false));
                out.add(Arguments.of(kind, dt, 12, 3, 3, true));
                out.add(Arguments.of(kind, dt, 5, 1, 2, true));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} N={2} micro={3} devices={4} dropout={5}")
    @MethodSource("cases")
    void equalsOneDevice(LossKind kind, DataType dt, int n, int micro, int devices, boolean dropout) {
        ClipConfig base = ClipConfig.test();
        if (dropout) {
            base = base.withVision(base.vision().withPatchDropout(0.5));
        }
        ClipConfig cfg = kind == LossKind.INFO_NCE ? base : base.withSigLipInit();
        double tol = dt == DataType.FLOAT64 ? 1e-12 : 1e-5;
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(cfg, manager, dt, 3);
            ParameterStore ps = new ParameterStore(manager, false);
            PatchDropout pd = model.visual().patchDropout();
            try (NDManager batch = manager.newSubManager()) {
                NDArray pixels = GradientCacheTest.pixels(batch, n, dt, 8);
                NDArray ids = GradientCacheTest.ids(batch, n, 9);

                setDropout(pd);
                double one = new GradientCache(model, GradientCacheTest.embeddingLoss(kind), micro)
                        .forwardBackward(ps, pixels, ids);
                Map<String, double[]> oneGrads = GradientCacheTest.gradients(model, true);
                long callsOne = pd == null ? 0 : pd.calls();

                setDropout(pd);
                int before = manager.getManagedArrays().size();
                List<Device> cpus = Collections.nCopies(devices, manager.getDevice());
                double many;
                try (GradientCache cache = new GradientCache(model, GradientCacheTest.embeddingLoss(kind),
                        micro, cpus)) {
                    many = cache.forwardBackward(ps, pixels, ids);
                }
                Map<String, double[]> manyGrads = GradientCacheTest.gradients(model, true);
                assertEquals(before, manager.getManagedArrays().size(), "replicas must be released");
                assertEquals(callsOne, pd == null ? 0 : pd.calls(), "dropout counter");

                assertTrue(GradientCacheTest.relError(new double[] {many}, new double[] {one}) <= tol,
                        () -> "loss " + many + " vs " + one);
                assertEquals(oneGrads.keySet(), manyGrads.keySet());
                for (String name : oneGrads.keySet()) {
                    double err = GradientCacheTest.relError(manyGrads.get(name), oneGrads.get(name));
                    assertTrue(err <= tol, () -> name + " differs by " + err);
                }
                double norm = 0;
                for (double g : oneGrads.get("visual.conv1.weight")) {
                    norm += g * g;
                }
                assertTrue(norm > 0, "the image tower must receive a gradient");
            }
        }
    }

    @Test
    void deviceZeroMustHoldTheParameters() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(ClipConfig.test(), manager, DataType.FLOAT32, 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new GradientCache(model, EmbeddingLoss.autograd(new InfoNceLoss()), 2,
                            List.of(Device.gpu(3), manager.getDevice())));
            assertTrue(e.getMessage().contains("devices[0]"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new GradientCache(model,
                    EmbeddingLoss.autograd(new InfoNceLoss()), 2, List.of()));
        }
    }

    private static void setDropout(PatchDropout pd) {
        if (pd != null) {
            pd.setState(5, 40);
        }
    }
}
