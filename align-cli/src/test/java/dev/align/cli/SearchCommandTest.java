package dev.align.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.align.data.shards.ShardWriter;
import dev.align.eval.embed.ClipEmbedder;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchCommandTest {

    @TempDir
    static Path dir;

    static Path model;

    @BeforeAll
    static void model() throws IOException {
        model = EvalCommandTest.tinyModel(dir.resolve("model"));
    }

    @Test
    void folderSearchRanksAsTheEmbedderScoresAndLabelsWithClassNames() throws IOException {
        Path folder = dir.resolve("folder");
        Color[] colours = {Color.RED, Color.BLUE, Color.GREEN, Color.WHITE, Color.YELLOW};
        List<Path> files = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            Files.createDirectories(folder.resolve("c" + c));
            for (int i = 0; i < 3; i++) {
                Path f = folder.resolve("c" + c).resolve("img" + i + ".png");
                Files.write(f, EvalCommandTest.png(colours[(c * 3 + i) % colours.length], 32, 24));
                files.add(f);
            }
        }
        Files.write(folder.resolve("c1").resolve("broken.png"), new byte[] {1, 2, 3});
        Files.writeString(folder.resolve("classnames.txt"), "c0\tred things\nc1\tblue things\n");
        Path sheet = dir.resolve("out").resolve("hits.png");
        Files.createDirectories(sheet.getParent());
        Cli.Result r = Cli.run("search", "--model", model.toString(), "--images",
                folder.toString(), "--query", "a photo of a red square.", "--query",
                "the blue disc", "--top", "4", "--out", sheet.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(ImageIO.read(sheet.toFile()).getWidth() > 0);
        JsonNode run = new ObjectMapper().readTree(dir.resolve("out").resolve("hits.json").toFile());
        assertEquals(6, run.get("images").asInt());
        assertEquals(1, run.get("skipped").asInt(), "the broken file is skipped and counted");

        // The same ranking computed directly from the embedder: dot products, best first.
        try (ClipEmbedder clip = ClipEmbedder.open(model)) {
            float[][] images = clip.encodeImageFiles(files).embeddings();
            String[] queries = {"a photo of a red square.", "the blue disc"};
            for (int q = 0; q < 2; q++) {
                float[] t = clip.encodeText(queries[q]);
                List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5));
                double[] s = new double[6];
                for (int i = 0; i < 6; i++) {
                    for (int d = 0; d < t.length; d++) {
                        s[i] += (double) images[i][d] * t[d];
                    }
                }
                order.sort(Comparator.comparingDouble((Integer i) -> -s[i]).thenComparing(i -> i));
                JsonNode matches = run.get("results").get(q).get("matches");
                assertEquals(4, matches.size());
                for (int k = 0; k < 4; k++) {
                    int i = order.get(k);
                    assertEquals(dir.resolve("folder").relativize(files.get(i)).toString(),
                            matches.get(k).get("image").asText());
                    assertEquals(i < 3 ? "red things" : "blue things",
                            matches.get(k).get("label").asText());
                    assertEquals(s[i], matches.get(k).get("score").asDouble(), 1e-6);
                }
            }
        }
    }

    @Test
    void shardSearchLabelsMatchesWithTheirCaptions() throws IOException {
        Path shards = dir.resolve("shards");
        try (ShardWriter w = new ShardWriter(shards, 10)) {
            w.write("s0", "png", EvalCommandTest.png(Color.RED, 32, 32), "a red square", null);
            w.write("s1", "png", EvalCommandTest.png(Color.BLUE, 32, 32), "a blue disc", null);
        }
        Cli.Result r = Cli.run("search", "--model", model.toString(), "--images",
                shards.resolve("00000.tar").toString(), "--query", "blue", "--top", "5",
                "--out", dir.resolve("s.png").toString());
        assertEquals(0, r.status(), r.out() + r.err());
        JsonNode matches = new ObjectMapper().readTree(dir.resolve("s.json").toFile())
                .get("results").get(0).get("matches");
        assertEquals(2, matches.size(), "k is capped by the images there are");
        List<String> labels = List.of(matches.get(0).get("label").asText(),
                matches.get(1).get("label").asText());
        assertTrue(labels.containsAll(List.of("a red square", "a blue disc")), labels.toString());
    }

    @Test
    void aBlankQueryIsRefusedWithStatus2() {
        Cli.Result r = Cli.run("search", "--model", model.toString(), "--images",
                dir.toString(), "--query", " ");
        assertEquals(2, r.status());
    }
}
