package dev.align.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.align.data.shards.ShardWriter;
import dev.align.data.text.BpeTokenizer;
import dev.align.models.clip.ClipModel;
import dev.align.models.config.ClipConfig;
import dev.align.models.io.ModelBundle;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {

    @TempDir
    static Path dir;
    static Path model;

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    @BeforeAll
    static void modelFolder() throws IOException {
        model = tinyModel(dir.resolve("model"));
    }

    /** A random-init tiny model folder at {@code at}, with a tokenizer trained on a few captions. */
    static Path tinyModel(Path at) throws IOException {
        ClipConfig c = ClipConfig.preset("tiny");
        try (NDManager m = NDManager.newBaseManager()) {
            ModelBundle.write(at, ClipModel.create(c, m, DataType.FLOAT32, 3), null, null);
        }
        List<String> captions = List.of("a photo of a red square.", "a bad photo of the blue disc.",
                "itap of a green cross", "art of the small ciel", "a origami bleu");
        BpeTokenizer.train(captions, 560, c.text().contextLength()).save(at.resolve("tokenizer.json"));
        return at;
    }

    static byte[] png(Color colour, int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, w, h);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test
    void zeroShotOnTwoImageFoldersWritesTableReportAndPlots() throws IOException {
        Path a = dir.resolve("colours");
        Color[] colours = {Color.RED, Color.GREEN, Color.BLUE};
        String[] folders = {"red", "green", "bleu ciel ☁"};
        for (int c = 0; c < 3; c++) {
            Files.createDirectories(a.resolve(folders[c]));
            for (int i = 0; i < 2; i++) {
                Files.write(a.resolve(folders[c]).resolve(i + ".png"), png(colours[c], 40 + i, 30));
            }
        }
        Files.write(a.resolve("red").resolve("broken.jpg"), new byte[] {1, 2, 3});
        Path b = dir.resolve("one-class");
        Files.createDirectories(b.resolve("thing"));
        Files.write(b.resolve("thing").resolve("x.png"), png(Color.GRAY, 20, 20));
        Path report = dir.resolve("out").resolve("zs.json");
        Files.createDirectories(report.getParent());
        Cli.Result r = Cli.run("eval", "zero-shot", "--model", model.toString(), "--data",
                a.toString(), "--data", b.toString(), "--templates", "simple", "--batch", "4",
                "--report", report.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("mean over 2 tasks"), r.out());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals("zero-shot", json.get("task").asText());
        assertEquals("[\"simple\",\"simple\"]", json.get("templates").toString());
        JsonNode first = json.get("datasets").get(0);
        assertEquals("colours", first.get("dataset").asText());
        assertEquals(3, first.get("classes").asInt());
        assertEquals(7, first.get("images").asInt());
        assertEquals(6, first.get("evaluated").asInt());
        assertEquals(1, first.get("skipped").asInt());
        assertEquals(1, first.get("skippedByReason").get("corrupt_image").asInt());
        double top1 = first.get("top1").asDouble();
        assertTrue(top1 >= 0 && top1 <= 1, "top1 " + top1);
        assertEquals(1.0, first.get("top5").asDouble());                 // 3 classes: all in top-3
        JsonNode perClass = first.get("perClass");
        assertEquals(3, perClass.size());
        assertEquals("bleu ciel ☁", perClass.get(0).get("name").asText());
        int correct = 0;
        for (JsonNode c : perClass) {
            correct += c.get("correct").asInt();
        }
        assertEquals(top1, correct / 6.0, 1e-12);
        JsonNode second = json.get("datasets").get(1);
        assertEquals(1.0, second.get("top1").asDouble());                // one class: always right
        assertEquals((top1 + 1.0) / 2, json.get("meanTop1").asDouble(), 1e-12);
        assertEquals(2, json.get("plots").size());
        for (JsonNode p : json.get("plots")) {
            byte[] head = Arrays.copyOf(Files.readAllBytes(Path.of(p.asText())), 4);
            assertArrayEquals(PNG_MAGIC, head, p.asText());
        }
    }

    /** No --templates: each folder's templates.txt, else openai; --classes keeps listed ones. */
    @Test
    void zeroShotTakesAFoldersOwnTemplatesByDefaultAndAClassSubset() throws IOException {
        Path own = dir.resolve("own");
        Path plain = dir.resolve("plain");
        for (Path root : List.of(own, plain)) {
            for (String c : List.of("red", "green", "blue")) {
                Files.createDirectories(root.resolve(c));
                Files.write(root.resolve(c).resolve("0.png"), png(Color.RED, 8, 8));
            }
        }
        Files.writeString(own.resolve("templates.txt"), "{}\nart of the {}\n");
        Path classes = Files.writeString(dir.resolve("classes.txt"), "blue\nred\nmauve\n");
        Path report = dir.resolve("subset.json");
        Cli.Result r = Cli.run("eval", "zero-shot", "--model", model.toString(), "--data",
                own.toString(), "--data", plain.toString(), "--classes", classes.toString(),
                "--report", report.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals(own.resolve("templates.txt").toString(), json.get("templates").get(0)
                .asText());
        assertEquals("openai", json.get("templates").get(1).asText());
        assertEquals(classes.toString(), json.get("classes").asText());
        JsonNode first = json.get("datasets").get(0);
        assertEquals(2, first.get("classes").asInt(), "red and blue; mauve is no class here");
        assertEquals(2, first.get("templates").asInt());
        assertEquals(80, json.get("datasets").get(1).get("templates").asInt());
        assertTrue(r.out().contains("templates.txt (2)"), r.out());
    }

    /** --languages: one row per language, scored on the classes every language names. */
    @Test
    void zeroShotPerLanguageSideBySide() throws IOException {
        Path root = dir.resolve("emoji-eval");
        for (String c : List.of("1F34E", "1F436", "1F98A")) {
            Files.createDirectories(root.resolve(c));
            Files.write(root.resolve(c).resolve("0.png"), png(Color.RED, 8, 8));
        }
        Files.writeString(root.resolve("classnames.txt"), "1F34E\tred apple\n1F436\tdog face\n"
                + "1F98A\tfox\n");
        Files.writeString(root.resolve("classnames.en.txt"), "1F34E\tred apple\n"
                + "1F436\tdog face\n1F98A\tfox\n");
        Files.writeString(root.resolve("classnames.th.txt"), "1F34E\tแอปเปิ้ลแดง\n"
                + "1F436\tหน้าสุนัข\n", StandardCharsets.UTF_8);
        Files.writeString(root.resolve("templates.en.txt"), "{}\nan emoji of {}\n");
        Path report = dir.resolve("languages.json");
        Cli.Result r = Cli.run("eval", "zero-shot", "--model", model.toString(), "--data",
                root.toString(), "--languages", "en, th", "--report", report.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals("zero-shot-multilingual", json.get("task").asText());
        JsonNode d = json.get("datasets").get(0);
        assertEquals(2, d.get("classes").asInt(), "fox has no Thai name");
        assertEquals("en", d.get("languages").get(0).get("language").asText());
        assertEquals(2, d.get("languages").get(0).get("templates").asInt());
        assertEquals("th", d.get("languages").get(1).get("language").asText());
        assertEquals(1, d.get("languages").get(1).get("templates").asInt());
        assertTrue(r.out().contains("emoji-eval") && r.out().contains(" th "), r.out());
        r = Cli.run("eval", "zero-shot", "--model", model.toString(), "--data", root.toString(),
                "--languages", "en,fr", "--report", report.toString());
        assertEquals(2, r.status());
    }

    @Test
    void retrievalOnShardsCountsCaptionsAndRecallsGrowWithK() throws IOException {
        Path shards = dir.resolve("shards");
        try (ShardWriter w = new ShardWriter(shards, 3)) {
            w.write("s0", "png", png(Color.RED, 32, 32), "a photo of a red square.", null);
            w.write("s1", "png", png(Color.BLUE, 48, 32), "the blue disc\nart of the small ciel", null);
            w.write("s2", "png", new byte[] {9, 9, 9, 9}, "a broken image", null);
            w.write("s3", "png", png(Color.GREEN, 32, 40), "itap of a green cross", null);
            w.write("s4", "png", png(Color.WHITE, 32, 32), "a origami bleu", null);
        }
        Path report = dir.resolve("ret.json");
        Cli.Result r = Cli.run("eval", "retrieval", "--model", model.toString(), "--data",
                shards.resolve("{00000..00001}.tar").toString(), "--report", report.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("mean over 1 task"), r.out());
        JsonNode d = new ObjectMapper().readTree(report.toFile()).get("datasets").get(0);
        assertEquals("shards", d.get("dataset").asText());
        assertEquals(4, d.get("images").asInt());
        assertEquals(5, d.get("texts").asInt());
        assertEquals(1, d.get("skipped").asInt());
        JsonNode recalls = d.get("recalls");
        assertEquals(3, recalls.size());
        assertEquals(List.of(1, 5, 10), List.of(recalls.get(0).get("k").asInt(),
                recalls.get(1).get("k").asInt(), recalls.get(2).get("k").asInt()));
        double prev = 0;
        for (JsonNode k : recalls) {
            double i2t = k.get("imageToText").asDouble();
            assertTrue(i2t >= prev && i2t <= 1, k.toString());
            prev = i2t;
        }
        assertEquals(1.0, recalls.get(1).get("imageToText").asDouble());   // 5 texts: all in top 5
        assertEquals(1.0, recalls.get(1).get("textToImage").asDouble());   // 4 images: all in top 5
        assertEquals((recalls.get(0).get("imageToText").asDouble()
                + recalls.get(0).get("textToImage").asDouble()) / 2, d.get("meanRecallAt1").asDouble(), 1e-12);
        assertTrue(Files.exists(dir.resolve("ret.recall.png")));
        r = Cli.run("eval", "retrieval", "--model", model.toString(), "--data",
                shards.resolve("{00000..00001}.tar").toString(), "--max-pairs", "2",
                "--report", report.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        d = new ObjectMapper().readTree(report.toFile()).get("datasets").get(0);
        assertEquals(2, d.get("images").asInt(), "the first two samples");
        assertEquals(3, d.get("texts").asInt(), "s1 has two captions");
    }

    @Test
    void anEmptyFolderFailsWithAClearMessageAndStatus2() throws IOException {
        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        Cli.Result r = Cli.run("eval", "zero-shot", "--model", model.toString(), "--data",
                empty.toString(), "--report", dir.resolve("x.json").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("has no class folders"), r.err());
    }
}
