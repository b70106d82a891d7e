package dev.align.curation.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align.core.json.Json;
import dev.align.curation.dfn.DfnFixtures;
import dev.align.curation.dfn.DfnSelection;
import dev.align.curation.metaclip.Metadata;
import dev.align.data.shards.Sample;
import dev.align.data.shards.ShardReader;
import dev.align.data.shards.ShardReaderOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurationPipelineTest {

    @TempDir
    static Path tmp;
    static String pool;
    static Path metadata;
    static Path model;

    static final String[] COLOURS = {"red", "green", "blue", "yellow"};
    static final String[] SHAPES = {"disc", "square", "cross"};

    @BeforeAll
    static void writePool() throws IOException {
        TinyPool a = new TinyPool();
        TinyPool b = new TinyPool();
        for (int i = 0; i < 36; i++) {
            String caption = "a " + COLOURS[i % 4] + " " + SHAPES[i % 3] + " on white";
            (i < 18 ? a : b).add(String.format("%06d", i), TinyPool.png(224, 208, 0x010203 * (i + 1)),
                    caption);
        }
        a.add("s-small", TinyPool.png(120, 300, 0x777777), "a red disc on white")
                .add("s-short", TinyPool.png(224, 224, 0x888888), "red disc")
                .add("s-nomatch", TinyPool.png(224, 224, 0x999999), "an orange triangle here")
                .addRaw("s-badutf8.png", TinyPool.png(224, 224, 0xAAAAAA))
                .addRaw("s-badutf8.txt", new byte[] {'a', ' ', (byte) 0xC3, (byte) 0x28, 'b'})
                .addRaw("s-badheader.png", new byte[] {1, 2, 3, 4, 5})
                .addRaw("s-badheader.txt", "a green cross on white".getBytes(StandardCharsets.UTF_8));
        b.add("s-cut", TinyPool.truncatedPng(224, 224), "a blue square on white")
                .add("000003", TinyPool.png(224, 224, 0xBBBBBB), "a duplicate key");
        a.write(tmp.resolve("pool/00000.tar"));
        b.write(tmp.resolve("pool/00001.tar"));
        pool = tmp.resolve("pool").toString() + "/{00000..00001}.tar";
        metadata = tmp.resolve("metadata.txt");
        Metadata.write(List.of("red", "green", "blue", "yellow", "disc", "square", "cross"), metadata);
        model = DfnFixtures.modelFolder(tmp.resolve("model"), 3);
    }

    private static CurationConfig config(int threads) throws IOException {
        return CurationConfig.of(StepSyntax.parse("align-rules,metaclip:metadata=" + metadata
                + ",t=6,seed=1,dfn:model=" + model + ",top=0.5,batchSize=4"))
                .withThreads(threads).withSamplesPerShard(7);
    }

    private static CurationSummary run(int threads, Path out) throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        return new CurationPipeline(config(threads), new PrintStream(log, true, StandardCharsets.UTF_8))
                .run(pool, out);
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            out.add(Json.mapper().readTree(line));
        }
        return out;
    }

    @Test
    void curatesEndToEndAndExplainsEveryPair() throws IOException {
        Path out = tmp.resolve("out");
        CurationSummary summary = run(2, out);
        List<JsonNode> decisions = lines(out.resolve(CurationPipeline.DECISIONS));
        // 36 good pairs + s-small, s-short, s-nomatch, s-cut; duplicate, bad UTF-8, bad header skipped
        assertEquals(40, summary.pairsIn());
        assertEquals(40, decisions.size());
        assertEquals(Map.of("duplicate_key", 1L, "invalid_utf8", 1L, "corrupt_image", 1L),
                summary.skipped());
        Map<String, JsonNode> byKey = new HashMap<>();
        decisions.forEach(d -> byKey.put(d.get("key").asText(), d));

        JsonNode small = byKey.get("s-small");
        assertEquals("align-rules", small.get("droppedBy").asText());
        assertEquals("image_too_small", small.get("reason").asText());
        assertEquals("[\"image_too_small\"]", small.get("ruleHits").toString());
        assertTrue(small.get("entries").isNull() && small.get("score").isNull());
        assertEquals("too_few_words", byKey.get("s-short").get("reason").asText());
        JsonNode nomatch = byKey.get("s-nomatch");
        assertEquals("metaclip", nomatch.get("droppedBy").asText());
        assertEquals("no_match", nomatch.get("reason").asText());
        assertEquals("[]", nomatch.get("ruleHits").toString());
        assertEquals(0.0, nomatch.get("keepProbability").asDouble());
        JsonNode cut = byKey.get("s-cut");
        // s-cut matches "blue" and "square"; if balancing kept it, DFN finds its pixels corrupt
        if (cut.get("droppedBy").asText().equals("dfn")) {
            assertEquals("corrupt_image", cut.get("reason").asText());
            assertTrue(cut.get("score").isNull());
        } else {
            assertEquals("sampled_out", cut.get("reason").asText());
        }

        // steps chain: each step's input is the previous step's output
        List<StepSummary> steps = summary.steps();
        assertEquals(List.of("align-rules", "metaclip", "dfn"), steps.stream().map(StepSummary::step).toList());
        assertEquals(40, steps.get(0).pairsIn());
        assertEquals(38, steps.get(0).pairsOut());
        for (int s = 1; s < steps.size(); s++) {
            assertEquals(steps.get(s - 1).pairsOut(), steps.get(s).pairsIn());
        }
        // MetaCLIP: counts over the 38 survivors of entries red green blue yellow disc square cross
        // (ids 0..6): colours 9 each and shapes 12 each over the 36 pairs, plus s-cut (blue square)
        long[] counts = {9, 9, 10, 9, 12, 13, 12};
        int balanced = 0;
        for (JsonNode d : decisions) {
            JsonNode e = d.get("entries");
            if (e.isNull()) {
                continue;
            }
            double drop = 1;
            for (JsonNode id : e) {
                drop *= 1 - 6.0 / Math.max(counts[id.asInt()], 6);
            }
            assertEquals(e.isEmpty() ? 0 : 1 - drop, d.get("keepProbability").asDouble(), 1e-15,
                    d.toString());
            balanced++;
        }
        assertEquals(38, balanced);
        // DFN: of the pairs it scored, floor(0.5 n) kept, every kept score >= every dropped score
        long scored = decisions.stream().filter(d -> !d.get("score").isNull()).count();
        long keptByDfn = decisions.stream().filter(d -> d.get("kept").asBoolean()).count();
        assertEquals(DfnSelection.keepCount(scored, 0.5), keptByDfn);
        double minKept = decisions.stream().filter(d -> d.get("kept").asBoolean())
                .mapToDouble(d -> d.get("score").asDouble()).min().orElseThrow();
        double maxDropped = decisions.stream().filter(d -> !d.get("score").isNull()
                && !d.get("kept").asBoolean()).mapToDouble(d -> d.get("score").asDouble()).max()
                .orElseThrow();
        assertTrue(minKept >= maxDropped);
        assertEquals(keptByDfn, summary.pairsOut());

        // the shards hold exactly the kept pairs, in pool order, with their bytes
        List<String> keptKeys = decisions.stream().filter(d -> d.get("kept").asBoolean())
                .map(d -> d.get("key").asText()).toList();
        List<String> written = new ArrayList<>();
        try (ShardReader r = ShardReader.open(ShardReaderOptions.of(
                out.resolve("shards").toString() + "/{00000.."
                        + String.format("%05d", summary.shards() - 1) + "}.tar"), 0)) {
            while (r.hasNext()) {
                Sample s = r.next();
                written.add(s.key());
                assertEquals(byKey.get(s.key()).get("kept").asBoolean(), true);
            }
            assertEquals(Map.of(), r.skipped());
        }
        assertEquals(keptKeys, written);
        assertEquals((keptKeys.size() + 6) / 7, summary.shards());
        assertTrue(Files.size(out.resolve(CurationPipeline.HISTOGRAM)) > 1000);
        JsonNode summaryFile = Json.mapper().readTree(out.resolve(CurationPipeline.SUMMARY).toFile());
        assertEquals(40, summaryFile.get("pairsIn").asLong());
        assertNull(summaryFile.get("unknown"));
    }

    @Test
    void decisionsAndShardsAreIdenticalOnOneAndEightThreads() throws IOException {
        Path one = tmp.resolve("t1");
        Path eight = tmp.resolve("t8");
        run(1, one);
        run(8, eight);
        assertArrayEquals(Files.readAllBytes(one.resolve(CurationPipeline.DECISIONS)),
                Files.readAllBytes(eight.resolve(CurationPipeline.DECISIONS)));
        try (var files = Files.list(one.resolve("shards"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".tar")).toList()) {
                assertArrayEquals(Files.readAllBytes(f),
                        Files.readAllBytes(eight.resolve("shards").resolve(f.getFileName())), f.toString());
            }
        }
    }

    @Test
    void refusesANonEmptyOutputFolder() throws IOException {
        Path out = tmp.resolve("busy");
        Files.createDirectories(out);
        Files.writeString(out.resolve("x"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(1, out));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    }

    @Test
    void thresholdFilterKeepsScoresAtOrAboveIt() throws IOException {
        Path scored = tmp.resolve("scored");
        new CurationPipeline(CurationConfig.of(StepSyntax.parse("dfn:model=" + model + ",top=1.0")),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run(pool, scored);
        // Scores are floats written in their shortest decimal form: (float) of the parsed decimal
        // is the score exactly, and a threshold equal to a score must keep that pair.
        List<Double> scores = lines(scored.resolve(CurationPipeline.DECISIONS)).stream()
                .filter(d -> !d.get("score").isNull())
                .map(d -> (double) (float) d.get("score").asDouble()).sorted().toList();
        double threshold = scores.get(scores.size() / 3);
        Path out = tmp.resolve("threshold");
        CurationSummary summary = new CurationPipeline(CurationConfig.of(StepSyntax.parse(
                "dfn:model=" + model + ",threshold=" + threshold)),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run(pool, out);
        long expected = scores.stream().filter(s -> s >= threshold).count();
        assertEquals(expected, summary.pairsOut());
        for (JsonNode d : lines(out.resolve(CurationPipeline.DECISIONS))) {
            if (!d.get("score").isNull()) {
                assertEquals((float) d.get("score").asDouble() >= threshold, d.get("kept").asBoolean());
                assertEquals(d.get("kept").asBoolean() ? "kept" : "below_threshold",
                        d.get("reason").asText());
            } else {
                assertEquals("corrupt_image", d.get("reason").asText()); // s-cut, pixels cut off
            }
        }
    }
}
