package dev.align.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.align.data.shards.ShardWriter;
import dev.align.data.text.BpeTokenizer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCommandTest {

    @TempDir
    Path dir;

    @Test
    void inspectSummarisesShardsGivenByABracePattern() throws Exception {
        byte[] png = java.util.Base64.getDecoder().decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");
        try (ShardWriter w = new ShardWriter(dir, 2)) {
            w.write("a", "png", png, "a red disc", null);
            w.write("b", "png", png, "a green square top left", null);
            w.write("c", "png", png, "", null);
        }
        Cli.Result r = Cli.run("data", "inspect", dir.resolve("{00000..00001}.tar").toString());
        assertEquals(0, r.status(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(2, json.get("samples").asInt(), json.toString());
        assertTrue(json.get("skipped").toString().contains("empty_caption"), json.toString());
    }

    /** Runs the command, checks its status and returns stdout on success, stderr otherwise. */
    private static String run(int expectedStatus, String... args) {
        Cli.Result r = Cli.run(args);
        assertEquals(expectedStatus, r.status(), r.err());
        return expectedStatus == 0 ? r.out() : r.err();
    }

    @Test
    void inspectWarnsOnStderrWhenNeighboursAreNearDuplicates() throws Exception {
        byte[] png = java.util.Base64.getDecoder().decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");
        try (ShardWriter w = new ShardWriter(dir, 1000)) {           // 30 groups of 6, sorted
            for (int i = 0; i < 180; i++) {
                w.write(String.format("%03d", i), "png", png, "waving hand " + i / 6 + ": tone "
                        + i % 6, "{\"subcategory\":\"group " + i / 6 + "\"}");
            }
        }
        Cli.Result r = Cli.run("data", "inspect", dir.resolve("00000.tar").toString());
        assertEquals(0, r.status(), r.err());
        String warnings = r.err();
        assertTrue(warnings.contains("warning: 83.8% of neighbouring samples share their "
                + "'subcategory'"), warnings);
        assertTrue(warnings.contains("data.shuffleBuffer >= 180"), warnings);
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(2, json.get("order").get("warnings").size(), json.toString());
    }

    @Test
    void importSyntheticWritesShardsAndPrintsTheSummary() throws Exception {
        Path out = dir.resolve("syn");
        JsonNode json = new ObjectMapper().readTree(run(0, "data", "import", "synthetic",
                "--out", out.toString(), "--count", "30", "--shard-size", "16",
                "--eval-per-class", "1", "--image-size", "32", "--seed", "3"));
        assertEquals(30, json.get("samples").asInt(), json.toString());
        assertEquals(out.resolve("{00000..00001}.tar").toString(), json.get("shards").asText());
        assertEquals(48, json.get("evalImages").asInt());
        assertTrue(java.nio.file.Files.isRegularFile(out.resolve("tokenizer.json")));
        JsonNode inspected = new ObjectMapper().readTree(run(0, "data", "inspect",
                json.get("shards").asText()));
        assertEquals(30, inspected.get("samples").asInt());
        assertEquals(0, inspected.get("order").get("warnings").size(), inspected.toString());
    }

    @Test
    void importErrorsNameTheProblem() {
        String err = run(2, "data", "import", "flickr", "--out", dir.toString());
        assertTrue(err.contains("unknown KIND 'flickr'"), err);
        err = run(2, "data", "import", "emoji", "--out", dir.resolve("e").toString(),
                "--source", dir.resolve("empty").toString());
        assertTrue(err.contains("emojibase-data/en/data.json")
                && err.contains("tools/fetch/fetch emoji"), err);
        err = run(2, "data", "import", "emoji", "--out", dir.resolve("e").toString(),
                "--styles", "google,noto", "--source", dir.toString());
        assertTrue(err.contains("unknown emoji style 'noto' in 'google,noto'"), err);
        err = run(2, "data", "import", "emoji", "--out", dir.resolve("e").toString(),
                "--styles", "google,google", "--source", dir.toString());
        assertTrue(err.contains("style google repeats"), err);
        err = run(2, "data", "import", "synthetic", "--out", dir.resolve("s").toString(),
                "--vocab-size", "100");
        assertTrue(err.contains("vocab size must be >= 514"), err);
    }

    @Test
    void importHelpListsEveryKindAndAnUnknownOneNamesThemAll() {
        Cli.Result help = Cli.run("data", "import", "--help");
        assertEquals(0, help.status(), help.err());
        for (String kind : DataCommand.Import.KINDS) {
            assertTrue(help.out().lines().anyMatch(l -> l.startsWith("  " + kind + " ")),
                    "data import --help lacks " + kind + ":\n" + help.out());
        }
        Cli.Result bad = Cli.run("data", "import", "nosuchkind", "--out", "x");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("one of " + String.join(", ", DataCommand.Import.KINDS)),
                bad.err());
    }

    @Test
    void tokenizerTrainsOnTheCaptionLinesOfSeveralShardSets() throws Exception {
        byte[] png = java.util.Base64.getDecoder().decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");
        try (ShardWriter w = new ShardWriter(dir.resolve("a"), 10)) {
            w.write("a0", "png", png, "grinning face, smile", null);
            w.write("a1", "png", png, "red apple\nan apple, fruit", null);
        }
        try (ShardWriter w = new ShardWriter(dir.resolve("b"), 10)) {
            w.write("b0", "png", png, "IMG_0042.png", null);
        }
        Path tok = dir.resolve("tok.json");
        String out = run(0, "data", "tokenizer", "--shards", dir.resolve("a/00000.tar").toString(),
                "--shards", dir.resolve("b/{00000..00000}.tar").toString(), "--out",
                tok.toString(), "--vocab-size", "600", "--context-length", "16");
        assertTrue(out.contains("from 4 captions"), out);
        BpeTokenizer expected = BpeTokenizer.train(java.util.List.of("grinning face, smile",
                "red apple", "an apple, fruit", "IMG_0042.png"), 600, 16);
        BpeTokenizer got = BpeTokenizer.load(tok);
        for (String c : java.util.List.of("grinning apple", "img_0042.png fruit", "unseen words")) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected.encode(c), got.encode(c), c);
        }
        String err = run(2, "data", "tokenizer", "--shards", dir.resolve("a/00000.tar").toString(),
                "--out", tok.toString(), "--vocab-size", "100");
        assertTrue(err.contains("vocabSize must be >= 514"), err);
    }
}
