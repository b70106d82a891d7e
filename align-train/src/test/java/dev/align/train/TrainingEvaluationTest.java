package dev.align.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.align.core.json.Json;
import dev.align.data.imports.ImportListener;
import dev.align.data.imports.ImportOptions;
import dev.align.data.imports.ImportSummary;
import dev.align.data.imports.SyntheticImporter;
import dev.align.models.config.ClipConfig;
import dev.align.models.config.TextConfig;
import dev.align.train.config.TrainConfig;
import dev.align.train.data.DataSources;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evaluation during training: it must not change what is trained (same weights bit for bit, with
 * patch dropout on, micro-batches replayed from the shards, a resume in the middle), must log
 * every task at the steps it is due, and must not leak arrays.
 */
class TrainingEvaluationTest {

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private static ImportSummary data;
    private static Path classes;

    /** 40 procedural samples and a held-out ImageFolder of 48 colour-shape classes x 2. */
    @BeforeAll
    static void importData() throws IOException {
        data = new SyntheticImporter(2).run(ImportOptions.of(shared.resolve("data")).withLimit(40)
                .withShardSize(10).withImageSize(24).withContextLength(8).withVocabSize(600),
                ImportListener.NONE);
        classes = Files.writeString(shared.resolve("some-classes.txt"),
                "red circle\nblue square\ngreen ring\nnot a class\nyellow cross\nblack diamond\n");
    }

    private TrainConfig config(String eval) {
        ClipConfig c = ClipConfig.test();
        TextConfig t = c.text();
        ClipConfig model = new ClipConfig(c.schemaVersion(), c.embedDim(), c.initLogitScale(),
                c.initLogitBias(), c.vision(), new TextConfig(8, 1000, t.width(), t.layers(),
                        t.heads(), t.mlpRatio(), t.activation(), t.causal(), t.pool(), t.padId()));
        return TrainConfig.fromJson("""
                {"schemaVersion": 1, "model": {"config": %s, "patchDropout": 0.3},
                 "data": {"kind": "SHARDS", "shards": "%s", "tokenizer": "%s",
                          "shuffleBuffer": 16, "interleave": 3},
                 "loss": {"kind": "INFONCE"}, "optimizer": {"peakLr": 3e-3, "warmupSteps": 2},
                 "globalBatch": 8, "microBatch": 3, "steps": 7, "seed": 4, "threads": 1,
                 "checkpointEvery": 3, "keepCheckpoints": 2%s}""".formatted(Json.write(model),
                data.shards(), data.tokenizer(), eval));
    }

    private String evalBlock(long every) {
        return """
                , "eval": {"every": %d, "batch": 7,
                  "zeroShot": [{"folder": "%s"},
                               {"name": "some", "folder": "%s", "classes": "%s",
                                "templates": "identity"}],
                  "retrieval": [{"name": "pairs", "shards": "%s", "maxPairs": 25}]}
                """.formatted(every, data.eval(), data.eval(), classes, data.shards());
    }

    private static TrainResult train(TrainConfig cfg, Path out) throws IOException {
        try (Trainer t = Trainer.open(cfg, DataSources.open(cfg), out, false)) {
            return t.run(QUIET);
        }
    }

    private static byte[] weights(Path run) throws IOException {
        return Files.readAllBytes(run.resolve("model/model.safetensors"));
    }

    /** metrics.jsonl without the timing fields. */
    private static List<String> losses(Path run) throws IOException {
        return Files.readAllLines(run.resolve("metrics.jsonl")).stream()
                .map(l -> l.replaceAll(",\"samplesPerSecond.*", "")).toList();
    }

    private static List<JsonNode> evalLines(Path run) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("eval.jsonl"))) {
            out.add(new ObjectMapper().readTree(line));
        }
        return out;
    }

    @Test
    void evaluatingEveryFewStepsLeavesTheTrainedWeightsBitIdentical() throws IOException {
        train(config(""), dir.resolve("plain"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        TrainConfig withEval = config(evalBlock(3));
        try (Trainer t = Trainer.open(withEval, DataSources.open(withEval), dir.resolve("eval"),
                false)) {
            t.run(new PrintStream(err));
        }
        assertArrayEquals(weights(dir.resolve("plain")), weights(dir.resolve("eval")));
        assertEquals(losses(dir.resolve("plain")), losses(dir.resolve("eval")));
        assertFalse(Files.exists(dir.resolve("plain/eval.jsonl")), "no eval block, no eval log");

        List<JsonNode> lines = evalLines(dir.resolve("eval"));
        assertEquals(9, lines.size(), "steps 3, 6 and the last (7), three tasks each");
        assertEquals(List.of(3L, 3L, 3L, 6L, 6L, 6L, 7L, 7L, 7L), lines.stream()
                .map(l -> l.get("step").asLong()).toList());
        JsonNode all = lines.get(0);
        assertEquals("zero-shot", all.get("task").asText());
        assertEquals("eval", all.get("dataset").asText(), "named after its folder");
        assertEquals(48, all.get("classes").asInt());
        assertEquals(96, all.get("items").asLong());
        assertEquals((all.get("top1").asDouble() + all.get("top5").asDouble()) / 2,
                all.get("mean").asDouble(), 1e-12);
        assertTrue(all.get("top5").asDouble() >= all.get("top1").asDouble());
        JsonNode some = lines.get(1);
        assertEquals("some", some.get("dataset").asText());
        assertEquals(5, some.get("classes").asInt(), "the listed classes the folder has");
        assertEquals(10, some.get("items").asLong());
        JsonNode pairs = lines.get(2);
        assertEquals("retrieval", pairs.get("task").asText());
        assertEquals(25, pairs.get("items").asLong(), "maxPairs");
        assertFalse(pairs.has("top1"));
        double r1 = pairs.get("recallAt1").asDouble();
        double r10 = pairs.get("recallAt10").asDouble();
        assertTrue(r1 > 0 && r1 <= pairs.get("recallAt5").asDouble() && r10 <= 1, pairs.toString());
        String progress = err.toString();
        assertTrue(progress.contains("eval at step 3: eval top-1 "), progress);
        assertTrue(progress.contains("pairs R@1 "), progress);
        assertTrue(Files.size(dir.resolve("eval/training.png"))
                > Files.size(dir.resolve("plain/training.png")), "a third panel");
    }

    @Test
    void aResumedRunEvaluatesAsAnUninterruptedOne() throws IOException {
        TrainConfig cfg = config(evalBlock(4));
        train(cfg, dir.resolve("straight"));
        Path out = dir.resolve("interrupted");
        try (Trainer t = Trainer.open(cfg, DataSources.open(cfg), out, false)) {
            assertThrows(IllegalStateException.class, () -> t.run(QUIET, m -> {
                if (m.step() == 5) {                           // after step 4's evaluation
                    throw new IllegalStateException("simulated crash after step 5");
                }
            }));
        }
        try (Trainer t = Trainer.open(cfg, DataSources.open(cfg), out, true)) {
            assertEquals(3, t.step());
            t.run(QUIET);
        }
        assertArrayEquals(weights(dir.resolve("straight")), weights(out));
        List<String> straight = Files.readAllLines(dir.resolve("straight/eval.jsonl"));
        List<String> resumed = Files.readAllLines(out.resolve("eval.jsonl"));
        assertEquals(strip(straight), strip(resumed), "step 4 evaluated once, same numbers");
    }

    private static List<String> strip(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll(",\"seconds\":[^,}]*", "")).toList();
    }

    @Test
    void liveArraysStayFlatAcrossEvaluations() throws IOException {
        TrainConfig cfg = TrainConfig.fromJson(config(evalBlock(1)).toJson()
                .replace("\"steps\" : 7", "\"steps\" : 9"));
        long[] counts = new long[10];
        try (Trainer t = Trainer.open(cfg, DataSources.open(cfg), dir.resolve("leak"), false)) {
            t.run(QUIET, m -> counts[(int) m.step()] = t.liveArrayCount());
        }
        assertEquals(27, evalLines(dir.resolve("leak")).size());
        assertEquals(counts[3], counts[9], "live arrays at step 3 vs 9");
    }

    @Test
    void aBadTaskFailsBeforeTrainingNamingIt() {
        TrainConfig missing = config(evalBlock(3).replace("\"folder\": \"" + data.eval() + "\"}",
                "\"folder\": \"" + dir.resolve("nowhere") + "\"}"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.open(missing, DataSources.open(missing), dir.resolve("x"), false));
        assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> config(
                evalBlock(3).replace("\"maxPairs\"", "\"maxpairs\"")));
        assertTrue(e.getMessage().contains("unknown key 'maxpairs' in 'eval.retrieval[0]'"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> config(", \"eval\": {\"every\": 5}"));
        assertTrue(e.getMessage().contains("eval needs at least one task"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> config(evalBlock(3)
                .replace("\"name\": \"some\"", "\"name\": \"eval\"")));
        assertTrue(e.getMessage().contains("two tasks named 'eval'"), e.getMessage());
        TrainConfig badTemplates = config(evalBlock(3).replace("\"identity\"", "\"photos\""));
        e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.open(badTemplates, DataSources.open(badTemplates), dir.resolve("y"),
                        false));
        assertTrue(e.getMessage().contains("templates 'photos' are neither"), e.getMessage());
        assertEquals(config(evalBlock(3)), TrainConfig.fromJson(config(evalBlock(3)).toJson()),
                "the eval block round-trips");
    }
}
