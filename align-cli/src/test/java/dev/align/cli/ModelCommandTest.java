package dev.align.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.align.core.io.SafeTensors;
import dev.align.core.io.TensorData;
import dev.align.models.clip.ClipModel;
import dev.align.models.clip.ClipOutput;
import dev.align.models.config.ClipConfig;
import dev.align.models.io.ModelBundle;
import dev.align.models.io.OpenClipWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCommandTest {

    @TempDir
    Path dir;

    @Test
    void infoPrintsConfigCountAndKeysAsJson() throws Exception {
        Cli.Result r = Cli.run("model", "info", "--preset", "ViT-B-32");
        assertEquals(0, r.status(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(151_277_313L, json.get("parameterCount").asLong());
        assertEquals(768, json.get("config").get("vision").get("width").asInt());
        JsonNode first = json.get("parameters").get(0);
        assertTrue(first.has("key") && first.has("shape"), first.toString());
        assertEquals(302, json.get("parameters").size());
    }

    @Test
    void infoReadsAConfigFileAndRejectsTypos() throws Exception {
        Path cfg = dir.resolve("m.json");
        Files.writeString(cfg, ClipConfig.test().toJson());
        assertEquals(0, Cli.run("model", "info", "--config", cfg.toString()).status());
        Files.writeString(cfg, ClipConfig.test().toJson().replace("\"layers\"", "\"layer\""));
        Cli.Result bad = Cli.run("model", "info", "--config", cfg.toString());
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("'layer'"), bad.err());
        assertEquals(2, Cli.run("model", "info").status(), "a preset or a config is required");
    }

    @Test
    void initThenEmbedMatchesTheLibrary() throws Exception {
        Path weights = dir.resolve("w.safetensors");
        assertEquals(0, Cli.run("model", "init", "--preset", "test", "--seed", "5", "--out", weights.toString()).status());
        int b = 3;
        float[] pixels = new float[b * 3 * 16 * 16];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) Math.sin(i * 0.37);
        }
        long[] ids = {1, 4, 63, 0, 1, 9, 8, 63, 1, 63, 0, 0};
        Path in = dir.resolve("in.safetensors");
        SafeTensors.write(in, Map.of("pixel_values", TensorData.ofFloats(new long[] {b, 3, 16, 16}, pixels),
                "input_ids", TensorData.ofLongs(new long[] {b, 4}, ids)), Map.of());
        Path out = dir.resolve("out.safetensors");
        Cli.Result r = Cli.run("model", "embed", "--preset", "test", "--weights", weights.toString(),
                "--inputs", in.toString(), "--out", out.toString(), "--batch-size", "2");
        assertEquals(0, r.status(), r.err());
        Map<String, TensorData> got = SafeTensors.read(out);
        try (NDManager m = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(ClipConfig.test(), m, DataType.FLOAT32, 5);
            ClipOutput expected = model.forward(new ParameterStore(m, false),
                    m.create(pixels, new Shape(b, 3, 16, 16)), m.create(ids, new Shape(b, 4)), false);
            assertArrayEquals(expected.imageEmbeds().toFloatArray(), got.get("image_embeds").toFloatArray(), 1e-6f);
            assertArrayEquals(expected.textEmbeds().toFloatArray(), got.get("text_embeds").toFloatArray(), 1e-6f);
            assertArrayEquals(new long[] {b, 24}, got.get("image_embeds").shape());
            assertEquals(expected.logitScale().getFloat(), got.get("logit_scale").toFloatArray()[0]);
            assertArrayEquals(OpenClipWeights.stateDict(model).get("visual.proj").toFloatArray(),
                    SafeTensors.read(weights).get("visual.proj").toFloatArray(), "init is seeded");
        }
    }

    @Test
    void aTrainedModelFolderIsAcceptedWhereAModelIsTaken() throws Exception {
        Path folder = dir.resolve("model");
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            ModelBundle.write(folder, ClipModel.create(ClipConfig.test(), m,
                    DataType.FLOAT32, 9), null, null);
        }
        Cli.Result info = Cli.run("model", "info", "--model", folder.toString());
        assertEquals(0, info.status(), info.err());
        assertEquals(24, new ObjectMapper().readTree(info.out()).get("config").get("embedDim").asInt());
        Path in = dir.resolve("in.safetensors");
        SafeTensors.write(in, Map.of("pixel_values", TensorData.ofFloats(new long[] {1, 3, 16, 16}, new float[768]),
                "input_ids", TensorData.ofLongs(new long[] {1, 3}, new long[] {1, 5, 63})), Map.of());
        Path out = dir.resolve("out.safetensors");
        Cli.Result embed = Cli.run("model", "embed", "--model", folder.toString(), "--inputs", in.toString(),
                "--out", out.toString());
        assertEquals(0, embed.status(), embed.err());
        assertEquals(2, Cli.run("model", "embed", "--model", folder.toString(), "--weights", "w.safetensors",
                "--inputs", in.toString(), "--out", out.toString()).status());
    }

    @Test
    void embedRejectsMissingInputsAndMismatchedWeights() throws Exception {
        Path weights = dir.resolve("w.safetensors");
        assertEquals(0, Cli.run("model", "init", "--preset", "test", "--seed", "1", "--out", weights.toString()).status());
        Path in = dir.resolve("in.safetensors");
        SafeTensors.write(in, Map.of("pixel_values", TensorData.ofFloats(new long[] {1, 3, 16, 16}, new float[768])),
                Map.of());
        Cli.Result missing = Cli.run("model", "embed", "--preset", "test", "--weights", weights.toString(),
                "--inputs", in.toString(), "--out", dir.resolve("o.safetensors").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("input_ids"), missing.err());
        Cli.Result wrong = Cli.run("model", "embed", "--preset", "tiny", "--weights", weights.toString(),
                "--inputs", in.toString(), "--out", dir.resolve("o.safetensors").toString());
        assertEquals(2, wrong.status());
    }

    @Test
    void configPrintsWhatConfigAndARunConfigRead() throws Exception {
        Cli.Result r = Cli.run("model", "config", "--preset", "tiny");
        assertEquals(0, r.status(), r.err());
        Path file = Files.writeString(dir.resolve("tiny.json"), r.out());
        assertEquals(ClipConfig.tiny(), ClipConfig.fromJson(file));
        Cli.Result info = Cli.run("model", "info", "--config", file.toString());
        assertEquals(0, info.status(), info.err());
        assertEquals(new ObjectMapper().readTree(r.out()),
                new ObjectMapper().readTree(info.out()).get("config"));
        dev.align.train.config.TrainConfig run = dev.align.train.config.TrainConfig.fromJson(
                "{\"schemaVersion\": 1, \"model\": {\"config\": " + r.out() + "}, \"data\": "
                + "{\"kind\": \"SYNTHETIC\"}, \"loss\": {\"kind\": \"INFONCE\"}, "
                + "\"optimizer\": {\"peakLr\": 1e-3}, \"globalBatch\": 8, \"steps\": 1, "
                + "\"seed\": 0}");
        assertEquals(ClipConfig.tiny(), run.model().resolve());
    }
}
