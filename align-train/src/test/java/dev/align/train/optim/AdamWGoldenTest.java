package dev.align.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Replays {@code golden/adamw.json} from {@code tools/reference_adamw.py} (torch.optim.AdamW with
 * two groups, clip_grad_norm_ and the warmup+cosine schedule): same initial weights, same
 * per-step gradients, weights must match after every step.
 */
class AdamWGoldenTest {

    private static double[] values(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"float32, 1e-6", "float64, 1e-12"})
    void matchesTorchAdamWWithClippingAndSchedule(String dtype, double tolerance) throws Exception {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/golden/adamw.json")) {
            root = new ObjectMapper().readTree(in);
        }
        DataType dt = dtype.equals("float32") ? DataType.FLOAT32 : DataType.FLOAT64;
        JsonNode hyper = root.get("hyper");
        CosineSchedule schedule = new CosineSchedule(hyper.get("peak_lr").asDouble(),
                hyper.get("min_lr").asDouble(), hyper.get("warmup_steps").asLong(),
                hyper.get("total_steps").asLong());
        AdamWConfig config = new AdamWConfig(hyper.get("beta1").asDouble(), hyper.get("beta2").asDouble(),
                hyper.get("eps").asDouble(), hyper.get("weight_decay").asDouble());
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Parameter> params = new LinkedHashMap<>();
            Map<String, Shape> shapes = new LinkedHashMap<>();
            root.get("shapes").fields().forEachRemaining(e -> {
                long[] dims = new long[e.getValue().size()];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = e.getValue().get(i).asLong();
                }
                shapes.put(e.getKey(), new Shape(dims));
            });
            for (Map.Entry<String, Shape> e : shapes.entrySet()) {
                Parameter p = Parameter.builder().setName(e.getKey()).setType(Parameter.Type.OTHER).build();
                NDArray w = manager.create(values(root.get("initial").get(e.getKey())), e.getValue()).toType(dt, false);
                w.setRequiresGradient(true);
                p.setArray(w);
                params.put(e.getKey(), p);
            }
            try (AdamW opt = new AdamW(params, config)) {
                List<String> expectedDecayed = new ArrayList<>();
                root.get("decayed").forEach(n -> expectedDecayed.add(n.asText()));
                assertEquals(expectedDecayed, opt.decayedNames());
                int step = 0;
                for (JsonNode s : root.get("steps")) {
                    assertEquals(s.get("lr").asDouble(), schedule.lr(step), 1e-18, "lr at step " + step);
                    try (NDManager scope = manager.newSubManager()) {
                        Map<String, NDArray> grads = new LinkedHashMap<>();
                        for (Map.Entry<String, Shape> e : shapes.entrySet()) {
                            grads.put(e.getKey(), scope.create(values(s.get("grads").get(e.getKey())), e.getValue())
                                    .toType(dt, false));
                        }
                        OptimTesting.addGradients(params, grads);
                    }
                    double norm = GradClip.clipGlobalNorm(params.values(), hyper.get("max_norm").asDouble());
                    assertEquals(s.get("grad_norm").asDouble(), norm, 1e-6 * norm, "norm at step " + step);
                    opt.step(schedule.lr(step));
                    for (String name : shapes.keySet()) {
                        double[] actual = params.get(name).getArray().toType(DataType.FLOAT64, true).toDoubleArray();
                        assertArrayEquals(values(s.get("weights").get(name)), actual, tolerance,
                                name + " after step " + step + " (" + dtype + ")");
                    }
                    step++;
                }
                assertEquals(5, opt.stepCount());
            }
        }
    }
}
