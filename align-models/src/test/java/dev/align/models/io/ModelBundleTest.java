package dev.align.models.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.align.data.image.ImageTransform;
import dev.align.data.text.BpeTokenizer;
import dev.align.data.text.Tokenizer;
import dev.align.models.clip.ClipModel;
import dev.align.models.config.Activation;
import dev.align.models.config.ClipConfig;
import dev.align.models.config.TextConfig;
import dev.align.models.config.TextPool;
import dev.align.models.config.VisionConfig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {

    @TempDir
    Path tmp;

    /** The frozen version-1 folder (see src/test/resources/frozen/README.md). */
    static Path frozenV1() throws URISyntaxException {
        return Path.of(ModelBundleTest.class.getResource("/frozen/v1-model").toURI());
    }

    /** The 16x16 images {@code expected.json} was computed for: a formula of the seed. */
    static BufferedImage image(int seed) {
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                int r = (x * 16 + seed * 40) & 0xFF;
                int g = (y * 16 + seed * 90) & 0xFF;
                int b = ((x ^ y) * 16 + seed * 7) & 0xFF;
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    /** A micro model that fits the tokenizers trained below (context 12). */
    static ClipConfig micro(int vocab, int context) {
        return new ClipConfig(ClipConfig.SCHEMA_VERSION, 8, ClipConfig.CLIP_LOGIT_SCALE, null,
                new VisionConfig(16, 8, 8, 1, 2, 2.0, Activation.GELU, 0.0),
                new TextConfig(context, vocab, 8, 1, 2, 2.0, Activation.GELU, true, TextPool.ARGMAX, 0));
    }

    static List<String> captions() {
        List<String> out = new ArrayList<>();
        for (String c : new String[] {"red", "green", "blue"}) {
            for (String s : new String[] {"circle", "square", "star"}) {
                out.add("a " + c + " " + s + " on the left");
            }
        }
        return out;
    }

    private Path bpe(String name, int vocab, int context) throws IOException {
        Path file = tmp.resolve(name);
        BpeTokenizer.train(captions(), vocab, context).save(file);
        return file;
    }

    @Test
    void readsTheFrozenVersionOneFolderAndEmbedsAsTheCodeThatWroteIt() throws Exception {
        JsonNode expected = new ObjectMapper().readTree(frozenV1().resolve("expected.json").toFile());
        try (ModelBundle bundle = ModelBundle.read(frozenV1());
                NDManager manager = NDManager.newBaseManager()) {
            JniUtils.setGradMode(false);
            assertEquals(1, bundle.schemaVersion(), "no bundle.json: version 1");
            assertEquals(8, bundle.config().embedDim());
            assertEquals(12, bundle.config().text().contextLength());
            assertEquals(7, bundle.provenance().orElseThrow().seed());
            Tokenizer tokenizer = bundle.tokenizer();
            ClipModel model = bundle.loadModel(manager, DataType.FLOAT32);
            ParameterStore ps = new ParameterStore(manager, false);
            assertEquals(expected.get("logitScale").floatValue(),
                    (float) Math.exp(model.logitScale().getArray().getFloat()), 1e-6f);
            for (int i = 0; i < expected.get("texts").size(); i++) {
                long[] ids = tokenizer.encode(expected.get("texts").get(i).asText());
                assertArrayEquals(longs(expected.get("ids").get(i)), ids, "ids of text " + i);
                NDArray e = model.encodeText(ps, manager.create(ids, new Shape(1, 12)), false);
                assertArrayEquals(floats(expected.get("textEmbeds").get(i)), e.toFloatArray(), 1e-6f,
                        "text " + i);
            }
            ImageTransform transform = ImageTransform.builder(16).build();
            for (int i = 0; i < 2; i++) {
                float[] px = new float[3 * 16 * 16];
                transform.apply(image(i), 0, px, 0);
                NDArray e = model.encodeImage(ps, manager.create(px, new Shape(1, 3, 16, 16)), false);
                assertArrayEquals(floats(expected.get("imageEmbeds").get(i)), e.toFloatArray(), 1e-6f,
                        "image " + i);
            }
        }
    }

    @Test
    void roundTripKeepsConfigWeightsTokenizerAndProvenance() throws IOException {
        ClipConfig config = micro(520, 12);
        Path tokFile = bpe("tok.json", 520, 12);
        Provenance provenance = new Provenance("{\"steps\": 2}", 5, "0.1.0", "0.36.0",
                "PyTorch 2.7.1", "17", "Linux", "amd64", "2026-01-01T00:00:00Z");
        Path dir = tmp.resolve("out/model");
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(config, manager, DataType.FLOAT32, 3);
            ModelBundle.write(dir, model, tokFile, provenance);
            try (ModelBundle bundle = ModelBundle.read(dir)) {
                assertEquals(ModelBundle.SCHEMA_VERSION, bundle.schemaVersion());
                assertEquals(config, bundle.config());
                assertEquals(provenance, bundle.provenance().orElseThrow());
                assertArrayEquals(Files.readAllBytes(tokFile),
                        Files.readAllBytes(dir.resolve(ModelBundle.TOKENIZER)), "copied byte for byte");
                Tokenizer trained = BpeTokenizer.load(tokFile);
                for (String c : captions()) {
                    assertArrayEquals(trained.encode(c), bundle.tokenizer().encode(c), c);
                }
                ClipModel back = bundle.loadModel(manager, DataType.FLOAT32);
                for (Map.Entry<String, Parameter> e : model.openClipParameters().entrySet()) {
                    assertArrayEquals(e.getValue().getArray().toFloatArray(),
                            back.openClipParameters().get(e.getKey()).getArray().toFloatArray(),
                            e.getKey());
                }
            }
            // Writing again replaces the folder whole and leaves no temporary folder behind.
            ModelBundle.write(dir, model, null, null);
            try (ModelBundle bundle = ModelBundle.read(dir)) {
                assertFalse(bundle.hasTokenizer());
                assertTrue(bundle.provenance().isEmpty());
                IllegalStateException e = assertThrows(IllegalStateException.class, bundle::tokenizer);
                assertTrue(e.getMessage().contains("has no tokenizer.json"), e.getMessage());
            }
            try (Stream<Path> siblings = Files.list(dir.getParent())) {
                assertEquals(List.of(dir), siblings.toList());
            }
        }
    }

    @Test
    void theTokenizerRuleRejectsATooLargeVocabularyOrContextNamingBothNumbers() throws IOException {
        Path wide = bpe("wide.json", 530, 12);
        Path longer = bpe("long.json", 520, 16);
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(micro(520, 12), manager, DataType.FLOAT32, 3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ModelBundle.write(tmp.resolve("a"), model, wide, null));
            assertTrue(e.getMessage().contains("has 530 ids but the model's text tower embeds only 520"),
                    e.getMessage());
            assertFalse(Files.exists(tmp.resolve("a")), "nothing written");
            e = assertThrows(IllegalArgumentException.class,
                    () -> ModelBundle.write(tmp.resolve("b"), model, longer, null));
            assertTrue(e.getMessage().contains("encodes 16 tokens per caption but the model's text "
                    + "tower takes 12"), e.getMessage());
            // The same rule when reading: a tokenizer dropped into a folder, or given explicitly.
            Path dir = tmp.resolve("c");
            ModelBundle.write(dir, model, null, null);
            Files.copy(wide, dir.resolve(ModelBundle.TOKENIZER));
            e = assertThrows(IllegalArgumentException.class, () -> ModelBundle.read(dir));
            assertTrue(e.getMessage().contains("530 ids") && e.getMessage().contains("only 520"),
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> ModelBundle.read(dir, longer));
            assertTrue(e.getMessage().contains("16 tokens") && e.getMessage().contains("takes 12"),
                    e.getMessage());
            // A shorter context is fine: its rows are padded to the model's.
            try (ModelBundle ok = ModelBundle.read(dir, bpe("short.json", 516, 8))) {
                assertEquals(8, ok.tokenizer().contextLength());
            }
        }
    }

    @Test
    void refusesFoldersFromANewerAlignAndIncompleteOnes() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(micro(520, 12), manager, DataType.FLOAT32, 3);
            Path dir = tmp.resolve("m");
            ModelBundle.write(dir, model, null, null);
            Files.writeString(dir.resolve(ModelBundle.MANIFEST), "{\"schemaVersion\": 3}",
                    StandardCharsets.UTF_8);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ModelBundle.read(dir));
            assertTrue(e.getMessage().contains("schemaVersion 3") && e.getMessage().contains("1 to 2"),
                    e.getMessage());
            Files.writeString(dir.resolve(ModelBundle.MANIFEST), "{\"schemaVersion\": 2, \"x\": 1}",
                    StandardCharsets.UTF_8);
            e = assertThrows(IllegalArgumentException.class, () -> ModelBundle.read(dir));
            assertTrue(e.getMessage().contains("unknown key 'x'"), e.getMessage());
            Files.delete(dir.resolve(ModelBundle.MANIFEST));
            Files.delete(dir.resolve(ModelBundle.WEIGHTS));
            e = assertThrows(IllegalArgumentException.class, () -> ModelBundle.read(dir));
            assertTrue(e.getMessage().contains("has no model.safetensors"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> ModelBundle.read(tmp.resolve("nowhere")));
            assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        }
    }

    private static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).floatValue();
        }
        return out;
    }
}
