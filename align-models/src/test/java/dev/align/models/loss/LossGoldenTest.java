package dev.align.models.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** Loss values and gradients against our PyTorch reference ({@code golden/losses.json}). */
class LossGoldenTest {

    private static double[][] matrix(JsonNode rows) {
        double[][] m = new double[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            m[r] = new double[rows.get(r).size()];
            for (int c = 0; c < m[r].length; c++) {
                m[r][c] = rows.get(r).get(c).asDouble();
            }
        }
        return m;
    }

    private static double[] flat(JsonNode rows) {
        return java.util.Arrays.stream(matrix(rows)).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    @Test
    void lossesAndGradientsMatchTheReference() throws Exception {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/golden/losses.json")) {
            root = new ObjectMapper().readTree(in);
        }
        int checked = 0;
        for (JsonNode setting : root.get("settings")) {
            for (String name : new String[] {"infonce", "infonce_ls0.1", "siglip"}) {
                ContrastiveLoss loss = switch (name) {
                    case "infonce" -> new InfoNceLoss();
                    case "infonce_ls0.1" -> new InfoNceLoss(0.1);
                    default -> new SigLipLoss();
                };
                JsonNode expected = setting.get(name);
                try (NDManager m = NDManager.newBaseManager()) {
                    NDArray img = m.create(matrix(root.get("image_embeds")));
                    NDArray txt = m.create(matrix(root.get("text_embeds")));
                    NDArray scale = m.create(setting.get("logit_scale").asDouble());
                    NDArray bias = m.create(setting.get("logit_bias").asDouble());
                    for (NDArray a : new NDArray[] {img, txt, scale, bias}) {
                        a.setRequiresGradient(true);
                    }
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray value = loss.compute(img, txt, scale, bias);
                        assertEquals(expected.get("loss").asDouble(), value.getDouble(), 1e-12, name);
                        gc.backward(value);
                    }
                    assertArrayEquals(flat(expected.get("grad_image_embeds")), img.getGradient().toDoubleArray(), 1e-12, name);
                    assertArrayEquals(flat(expected.get("grad_text_embeds")), txt.getGradient().toDoubleArray(), 1e-12, name);
                    assertEquals(expected.get("grad_logit_scale").asDouble(), scale.getGradient().getDouble(), 1e-12, name);
                    if (expected.has("grad_logit_bias")) {
                        assertEquals(expected.get("grad_logit_bias").asDouble(), bias.getGradient().getDouble(), 1e-12);
                        try (LossGradients g = new ChunkedSigLipLoss(3).lossAndGradients(img, txt, scale, bias)) {
                            assertEquals(expected.get("loss").asDouble(), g.loss().getDouble(), 1e-12);
                            assertArrayEquals(flat(expected.get("grad_image_embeds")), g.imageGrad().toDoubleArray(), 1e-12);
                            assertArrayEquals(flat(expected.get("grad_text_embeds")), g.textGrad().toDoubleArray(), 1e-12);
                            assertEquals(expected.get("grad_logit_scale").asDouble(), g.logitScaleGrad().getDouble(), 1e-12);
                            assertEquals(expected.get("grad_logit_bias").asDouble(), g.logitBiasGrad().getDouble(), 1e-12);
                        }
                    }
                    checked++;
                }
            }
        }
        assertEquals(6, checked);
    }
}
