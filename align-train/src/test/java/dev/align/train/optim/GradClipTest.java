package dev.align.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GradClipTest {

    private static double[] grad(Parameter p) {
        try (NDArray g = p.getArray().getGradient(); NDArray g64 = g.toType(DataType.FLOAT64, true)) {
            return g64.toDoubleArray();
        }
    }

    /** Parameters a [2] with gradient (3, 0), b [] with gradient -4 (global norm 5), c frozen. */
    private static Map<String, Parameter> setUp(NDManager manager) {
        Map<String, Parameter> params = new LinkedHashMap<>();
        params.put("a", OptimTesting.parameter(manager, "a", new double[] {1, 1}, new Shape(2)));
        params.put("b", OptimTesting.parameter(manager, "b", new double[] {1}, new Shape()));
        params.put("c", OptimTesting.parameter(manager, "c", new double[] {1}, new Shape(1)));
        params.put("d", OptimTesting.parameter(manager, "d", new double[] {1}, new Shape(1))); // no gradient
        OptimTesting.addGradients(params, Map.of("a", manager.create(new double[] {3, 0}),
                "b", manager.create(-4.0), "c", manager.create(new double[] {100})));
        params.get("c").freeze(true);
        return params;
    }

    @Test
    void scalesAllGradientsToMaxNormAndReturnsTheNormBefore() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Parameter> params = setUp(manager);
            int live = manager.getManagedArrays().size();
            assertEquals(5.0, GradClip.clipGlobalNorm(params.values(), 1.0), 1e-12);
            double coef = 1.0 / (5.0 + 1e-6);
            assertArrayEquals(new double[] {3 * coef, 0}, grad(params.get("a")), 1e-15);
            assertArrayEquals(new double[] {-4 * coef}, grad(params.get("b")), 1e-15);
            assertEquals(live, manager.getManagedArrays().size(), "every gradient handle closed");
            assertEquals(1.0, GradClip.clipGlobalNorm(params.values(), 1.0), 1e-6);
        }
    }

    @Test
    void leavesGradientsAloneBelowMaxNormOrWhenDisabled() {
        for (double maxNorm : new double[] {6.0, 0.0, -1.0, Double.POSITIVE_INFINITY}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                Map<String, Parameter> params = setUp(manager);
                assertEquals(5.0, GradClip.clipGlobalNorm(params.values(), maxNorm), 1e-12);
                assertArrayEquals(new double[] {3, 0}, grad(params.get("a")), 0, "maxNorm " + maxNorm);
                assertArrayEquals(new double[] {-4}, grad(params.get("b")), 0, "maxNorm " + maxNorm);
            }
        }
    }

    @Test
    void worksInFloat32WithFloat64Accuracy() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.OTHER).build();
            NDArray w = manager.zeros(new Shape(1000), DataType.FLOAT32);
            w.setRequiresGradient(true);
            p.setArray(w);
            Map<String, Parameter> params = Map.of("w", p);
            OptimTesting.addGradients(params, Map.of("w", manager.full(new Shape(1000), 0.1f)));
            double expected = Math.sqrt(1000 * (double) 0.1f * (double) 0.1f);
            assertEquals(expected, GradClip.clipGlobalNorm(params.values(), 0.5), 1e-12);
            try (NDArray g = p.getArray().getGradient()) {
                assertEquals(DataType.FLOAT32, g.getDataType());
                assertEquals(0.1f * 0.5 / (expected + 1e-6), g.getFloat(0), 1e-8);
            }
        }
    }
}
