package dev.align.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.align.models.config.Activation;
import dev.align.models.testing.FiniteDifferences;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class ResidualAttentionBlockTest {

    private static final int B = 2;
    private static final int T = 5;
    private static final int D = 8;

    private static NDArray causal(NDManager m) {
        double[] mask = new double[T * T];
        for (int i = 0; i < T; i++) {
            for (int j = i + 1; j < T; j++) {
                mask[i * T + j] = Double.NEGATIVE_INFINITY;
            }
        }
        return m.create(mask, new Shape(T, T));
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void gradientsMatchCentralDifferencesInFloat64(Activation activation) {
        try (NDManager m = NDManager.newBaseManager()) {
            ResidualAttentionBlock block = new ResidualAttentionBlock(D, 2, 16, activation, 2);
            Map<String, Parameter> params = new LinkedHashMap<>();
            block.collectParameters("", params);
            int k = 0;
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                // non-trivial gains and biases, so a wrong backward through them shows
                e.getValue().setInitializer(InitSpec.normal(0.3).seeded(k++, e.getKey()));
            }
            block.initialize(m, DataType.FLOAT64, new Shape(B, T, D));
            ParameterStore ps = new ParameterStore(m, false);
            m.getEngine().setRandomSeed(3);
            NDArray x = m.randomNormal(0, 1, new Shape(B, T, D), DataType.FLOAT64);
            NDArray weights = m.randomNormal(0, 1, new Shape(B, T, D), DataType.FLOAT64);
            NDArray mask = causal(m);
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(block.forward(ps, x, mask, true).mul(weights).sum());
            }
            java.util.function.DoubleSupplier f = () -> {
                try (NDManager scope = m.newSubManager()) {
                    NDArray in = x.duplicate();
                    in.attach(scope);
                    return block.forward(ps, in, mask, false).mul(weights).sum().getDouble();
                }
            };
            double[] dx = x.getGradient().toDoubleArray();
            FiniteDifferences.check("dx", x, dx, f, 1e-5, 1e-7);
            for (String key : new String[] {"ln_1.weight", "attn.in_proj_weight", "attn.in_proj_bias",
                    "attn.out_proj.weight", "ln_2.bias", "mlp.c_fc.weight", "mlp.c_proj.bias"}) {
                NDArray p = params.get(key).getArray();
                FiniteDifferences.check(key, p, p.getGradient().toDoubleArray(), f, 1e-5, 1e-7);
            }
        }
    }

    @Test
    void causalMaskKeepsEarlierOutputsIndependentOfLaterTokens() {
        try (NDManager m = NDManager.newBaseManager()) {
            ResidualAttentionBlock block = new ResidualAttentionBlock(D, 2, 16, Activation.GELU, 1);
            block.initialize(m, DataType.FLOAT64, new Shape(1, T, D));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(0, 1, new Shape(1, T, D), DataType.FLOAT64);
            NDArray changed = x.duplicate();
            changed.set(new NDIndex(":, -1, :"), 5.0);
            NDArray a = block.forward(ps, x, causal(m), false).get(new NDIndex(":, :-1, :"));
            NDArray b = block.forward(ps, changed, causal(m), false).get(new NDIndex(":, :-1, :"));
            assertArrayEquals(a.toDoubleArray(), b.toDoubleArray(), 0);
        }
    }

    @Test
    void oneSamplesOutputDoesNotDependOnTheRestOfTheBatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            ResidualAttentionBlock block = new ResidualAttentionBlock(D, 2, 16, Activation.GELU, 1);
            block.initialize(m, DataType.FLOAT32, new Shape(1, T, D));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray batch = m.randomNormal(new Shape(3, T, D));
            NDArray alone = block.forward(ps, batch.get(new NDIndex("0:1")), null, true);
            NDArray together = block.forward(ps, batch, null, true).get(new NDIndex("0:1"));
            assertEquals(0f, alone.sub(together).abs().max().getFloat(), 1e-6f);
        }
    }
}
