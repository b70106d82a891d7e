package dev.align.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.align.data.shards.ShardWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurateCommandTest {

    @TempDir
    Path dir;

    private static byte[] png(int rgb) throws Exception {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, rgb);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test
    void buildsMetadataThenCuratesAPool() throws Exception {
        Path pool = dir.resolve("pool");
        String[] captions = {"a red car on the road", "a blue car in the rain", "red", "a dog"};
        try (ShardWriter w = new ShardWriter(pool, 3)) {
            for (int i = 0; i < 8; i++) {
                w.write(String.format("%04d", i), "png", png(i), captions[i % 4], null);
            }
        }
        Path corpus = dir.resolve("corpus.txt");
        Files.write(corpus, List.of(captions));
        Path metadata = dir.resolve("meta.txt");
        Cli.Result r = Cli.run("curate", "metadata", "--captions", corpus.toString(),
                "--min-unigram-count", "2", "--min-bigram-count", "2", "--out", metadata.toString());
        assertEquals(0, r.status(), r.err());
        // a 2x, car 2x, red 2x, "a red"/"red car"/"a blue"... once: only unigrams reach 2
        assertEquals(List.of("a", "car", "red", "the"), Files.readAllLines(metadata));

        Path out = dir.resolve("out");
        r = Cli.run("curate", "--pool", pool + "/{00000..00002}.tar",
                "--steps", "align-rules:minShorterSide=8,metaclip:metadata=" + metadata + ",t=100",
                "--threads", "1", "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(8, summary.get("pairsIn").asInt());
        // "red" and "a dog" are too short (< 3 words); the other 4 all match entries with p = 1
        assertEquals(4, summary.get("pairsOut").asInt(), summary.toString());
        assertEquals(8, Files.readAllLines(out.resolve("decisions.jsonl")).size());
        assertTrue(Files.exists(out.resolve("shards/00000.tar")));
        assertTrue(Files.exists(out.resolve("entry-histogram.png")));
    }

    /** Per-language metadata from a pool's own captions, then MetaCLIP 2 over that pool. */
    @Test
    void buildsMetadataPerLanguageThenCuratesWithMetaclip2() throws Exception {
        Path pool = dir.resolve("pool");
        String[][] captions = {{"en", "red apple"}, {"en", "red heart"}, {"de", "roter Apfel"},
            {"ja", "赤いリンゴ"}, {"th", "หน้ายิ้ม"}};
        try (ShardWriter w = new ShardWriter(pool, 10)) {
            for (int i = 0; i < 20; i++) {
                String[] c = captions[i % captions.length];
                w.write(String.format("%04d", i), "png", png(i), c[1],
                        "{\"lang\":\"" + c[0] + "\"}");
            }
        }
        Path metadata = dir.resolve("metadata");
        Cli.Result r = Cli.run("curate", "metadata", "--captions",
                pool + "/{00000..00001}.tar", "--by-language", "en,de,ja,th",
                "--min-unigram-count", "2", "--min-bigram-count", "2", "--out", metadata.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(List.of("red", "apple", "heart", "red apple", "red heart"),
                Files.readAllLines(metadata.resolve("en.txt")));
        assertTrue(Files.readAllLines(metadata.resolve("ja.txt"), StandardCharsets.UTF_8)
                .contains("リンゴ"), "Japanese entries are words, not whole captions");
        Path out = dir.resolve("out");
        r = Cli.run("curate", "--pool", pool + "/{00000..00001}.tar",
                "--steps", "metaclip2:metadata=" + metadata + ",t=100", "--threads", "1",
                "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(20, summary.get("pairsOut").asInt(), "t = 100: every entry is in the tail");
        JsonNode first = new ObjectMapper().readTree(Files.readAllLines(
                out.resolve("decisions.jsonl")).get(3));
        assertEquals("ja", first.get("lang").asText());
        assertTrue(Files.exists(out.resolve("languages.json")));
    }

    @Test
    void aMistakeInTheStepsExitsWithTwoAndSaysWhat() {
        Cli.Result r = Cli.run("curate", "--pool", dir + "/x.tar", "--steps",
                "metaclip:metadata=m.txt,tee=3", "--out", dir.resolve("o").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("unknown key 'tee'"), r.err());
    }

    @Test
    void helpExplainsTheSteps() {
        String help = Cli.run("curate", "--help").out();
        for (String s : List.of("align-rules", "metaclip:metadata=FILE", "dfn:model=DIR", "--pool", "--out")) {
            assertTrue(help.contains(s), s + " in\n" + help);
        }
    }
}
