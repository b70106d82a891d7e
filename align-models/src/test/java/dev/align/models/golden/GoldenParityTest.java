package dev.align.models.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.align.core.io.SafeTensors;
import dev.align.core.io.TensorData;
import dev.align.models.clip.ClipModel;
import dev.align.models.clip.ClipOutput;
import dev.align.models.config.ClipConfig;
import dev.align.models.io.OpenClipWeights;
import dev.align.models.loss.InfoNceLoss;
import dev.align.models.loss.SigLipLoss;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parity with our own PyTorch reference ({@code tools/reference_clip.py}, fixtures written by
 * {@code tools/make_golden.py}): identical weights and inputs must give the same embeddings,
 * losses and parameter gradients.
 */
class GoldenParityTest {

    private static Path golden(String name) throws URISyntaxException {
        return Path.of(GoldenParityTest.class.getResource("/golden/" + name).toURI());
    }

    private record Case(ClipConfig config, Map<String, TensorData> weights, TensorData pixels,
            TensorData ids, JsonNode expected, Map<String, TensorData> grads) {

        static Case load(String name) throws Exception {
            Path dir = golden(name);
            Map<String, TensorData> inputs = SafeTensors.read(dir.resolve("inputs.safetensors"));
            return new Case(ClipConfig.fromJson(dir.resolve("config.json")),
                    SafeTensors.read(dir.resolve("weights.safetensors")),
                    inputs.get("pixel_values"), inputs.get("input_ids"),
                    new ObjectMapper().readTree(dir.resolve("expected.json").toFile()),
                    SafeTensors.read(dir.resolve("grads.safetensors")));
        }

        ClipModel model(NDManager manager, DataType type) throws IOException {
            ClipModel model = ClipModel.create(config, manager, type, 0);
            OpenClipWeights.load(model, weights, "golden");
            return model;
        }

        NDArray pixels(NDManager manager, DataType type) {
            NDArray p = manager.create(pixels.toFloatArray(), new Shape(pixels.shape()));
            return type == DataType.FLOAT32 ? p : p.toType(type, false);
        }

        NDArray ids(NDManager manager) {
            return manager.create(ids.toLongArray(), new Shape(ids.shape()));
        }

        NDArray bias(NDManager manager, ClipModel model, DataType type) {
            return model.logitBias() != null ? model.logitBias().getArray()
                    : manager.create(expected.get("losses").get("siglip_bias").asDouble()).toType(type, false);
        }
    }

    private static void assertMatrix(JsonNode expected, NDArray actual, double tol, String what) {
        double[] a = actual.toType(DataType.FLOAT64, false).toDoubleArray();
        int cols = expected.get(0).size();
        assertEquals(expected.size() * cols, a.length, what + " size");
        double worst = 0;
        for (int r = 0; r < expected.size(); r++) {
            for (int c = 0; c < cols; c++) {
                worst = Math.max(worst, Math.abs(expected.get(r).get(c).asDouble() - a[r * cols + c]));
            }
        }
        assertTrue(worst <= tol, what + ": max abs difference " + worst + " > " + tol);
    }

    @ParameterizedTest
    @ValueSource(strings = {"clip_causal", "align_bidir"})
    void float32EmbeddingsAndLossesMatchTheReference(String name) throws Exception {
        Case c = Case.load(name);
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = c.model(manager, DataType.FLOAT32);
            ClipOutput out = model.forward(new ParameterStore(manager, false),
                    c.pixels(manager, DataType.FLOAT32), c.ids(manager), false);
            JsonNode e = c.expected();
            assertMatrix(e.get("image_embeds"), out.imageEmbeds(), 1e-5, "image_embeds");
            assertMatrix(e.get("text_embeds"), out.textEmbeds(), 1e-5, "text_embeds");
            assertEquals(e.get("logit_scale").asDouble(), out.logitScale().getFloat(), 1e-6);
            JsonNode losses = e.get("losses");
            NDArray bias = c.bias(manager, model, DataType.FLOAT32);
            assertEquals(losses.get("infonce").asDouble(), new InfoNceLoss()
                    .compute(out.imageEmbeds(), out.textEmbeds(), out.logitScale(), null).getFloat(), 1e-5);
            assertEquals(losses.get("infonce_ls0.1").asDouble(), new InfoNceLoss(0.1)
                    .compute(out.imageEmbeds(), out.textEmbeds(), out.logitScale(), null).getFloat(), 1e-5);
            assertEquals(losses.get("siglip").asDouble(), new SigLipLoss()
                    .compute(out.imageEmbeds(), out.textEmbeds(), out.logitScale(), bias).getFloat(), 1e-5);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"clip_causal", "align_bidir"})
    void float64GradientsOfEveryParameterMatchTheReference(String name) throws Exception {
        Case c = Case.load(name);
        JsonNode e = c.expected();
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = c.model(manager, DataType.FLOAT64);
            ParameterStore ps = new ParameterStore(manager, false);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                ClipOutput out = model.forward(ps, c.pixels(manager, DataType.FLOAT64), c.ids(manager), true);
                assertMatrix(e.get("image_embeds"), out.imageEmbeds(), 1e-10, "float64 image_embeds");
                assertMatrix(e.get("text_embeds"), out.textEmbeds(), 1e-10, "float64 text_embeds");
                NDArray loss = "infonce".equals(e.get("grad_loss").asText())
                        ? new InfoNceLoss().compute(out.imageEmbeds(), out.textEmbeds(), out.logitScale(), null)
                        : new SigLipLoss().compute(out.imageEmbeds(), out.textEmbeds(), out.logitScale(),
                                out.logitBias());
                assertEquals(e.get("losses").get(e.get("grad_loss").asText()).asDouble(), loss.getDouble(), 1e-10);
                gc.backward(loss);
            }
            int checked = 0;
            long elements = 0;
            for (Map.Entry<String, Parameter> p : model.openClipParameters().entrySet()) {
                String key = p.getKey();
                try (NDArray g = p.getValue().getArray().getGradient()) {
                    double[] grad = g.toDoubleArray();
                    TensorData reference = c.grads().get(key);
                    assertArrayEquals(reference.shape(), g.getShape().getShape(), key + " shape");
                    double[] want = reference.toDoubleArray();
                    // Every element, to 1e-9 (float64 on both sides; they agree to ~1e-15).
                    double worst = 0;
                    int worstAt = -1;
                    for (int i = 0; i < want.length; i++) {
                        double diff = Math.abs(want[i] - grad[i]);
                        if (!(diff <= worst)) {
                            worst = diff;
                            worstAt = i;
                        }
                    }
                    assertTrue(worst <= 1e-9, key + ": element " + worstAt + " differs by " + worst
                            + " (reference " + (worstAt < 0 ? "" : want[worstAt]) + ")");
                    double norm = 0;
                    for (double v : grad) {
                        norm += v * v;
                    }
                    double expectedNorm = e.get("grad_norms").get(key).asDouble();
                    assertEquals(expectedNorm, Math.sqrt(norm), 1e-9 * Math.max(1, expectedNorm), key);
                    elements += want.length;
                    checked++;
                }
            }
            assertEquals(c.grads().size(), checked, "every parameter has a reference gradient");
            assertEquals(e.get("grad_norms").size(), checked);
            assertTrue(elements > 50_000, elements + " gradient elements compared");
        }
    }
}
