package dev.align.train.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.align.core.testing.fuzz.FuzzHarness;
import dev.align.core.testing.fuzz.JsonMutator;
import dev.align.core.testing.fuzz.Mutator;
import dev.align.models.config.ClipConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the strict JSON of run configs ({@code ./align train --config}) and of model configs
 * ({@code model.json} in every model folder), with structure-aware mutations (wrong types, values
 * at the edge of their range, missing, unknown, misspelt and repeated keys, deep nesting) and
 * byte-level ones. Reading must give a config or an {@link IllegalArgumentException} with a clear
 * message; a config that is read must resolve its model and write itself back to JSON that reads
 * to an equal config.
 */
class TrainConfigFuzzTest {

    private static final FuzzHarness RUN = harness("run config (JSON)");
    private static final FuzzHarness MODEL = harness("model config (model.json)");
    private static final List<byte[]> RUN_SEEDS = List.of(utf8(TrainConfigTest.MINIMAL), utf8("""
            {"schemaVersion": 1, "model": {"preset": "small", "patchDropout": 0.25},
             "data": {"kind": "SHARDS", "shards": "data/{00000..00009}.tar", "tokenizer": "t.json",
                      "shuffleBuffer": 1000, "shuffleShards": true, "workers": 2,
                      "crop": "RANDOM_RESIZED", "cropScaleMin": 0.9, "cropScaleMax": 1.0},
             "loss": {"kind": "INFONCE_CHUNKED", "labelSmoothing": 0.1, "chunk": 512},
             "optimizer": {"peakLr": 5e-4, "minLr": 1e-6, "warmupSteps": 100, "weightDecay": 0.2,
                           "beta1": 0.9, "beta2": 0.98, "eps": 1e-6, "gradClipNorm": 1.0},
             "globalBatch": 4096, "microBatch": 256, "steps": 2000, "seed": 0, "threads": 2,
             "checkpointEvery": 100, "keepCheckpoints": 2, "lockImage": false, "lockText": false,
             "device": "cpu", "devices": ["cpu", "cpu"], "replayMicroBatches": false}"""),
            utf8("""
            {"schemaVersion": 1, "model": {"preset": "tiny"},
             "data": {"kind": "SHARDS", "shards": "a/{0..3}.tar::b/{00..10}.tar", "tokenizer": "t.json",
                      "interleave": 4, "shuffleBuffer": 5000},
             "loss": {"kind": "INFONCE"}, "optimizer": {"peakLr": 1e-3}, "globalBatch": 64,
             "steps": 600, "seed": 2,
             "eval": {"every": 50, "batch": 32, "tokenizer": "t.json",
                      "zeroShot": [{"folder": "eval/openmoji"},
                                   {"name": "some", "folder": "eval/e", "classes": "labels.txt",
                                    "templates": "drawing"}],
                      "retrieval": [{"name": "pairs", "shards": "r/{0..1}.tar", "maxPairs": 1000}]}}"""),
            utf8("{\"schemaVersion\": 1, \"model\": {\"config\": " + ClipConfig.tiny().toJson()
                    + "}, \"data\": {\"kind\": \"SYNTHETIC\"}, \"loss\": {\"kind\": \"SIGLIP\"},"
                    + " \"optimizer\": {\"peakLr\": 1e-3}, \"globalBatch\": 8, \"steps\": 3,"
                    + " \"seed\": -1}"));
    private static final List<byte[]> MODEL_SEEDS = List.of(utf8(ClipConfig.tiny().toJson()),
            utf8(ClipConfig.preset("ViT-B-32").toJson()), utf8(ClipConfig.test().toJson()));

    private static FuzzHarness harness(String name) {
        return FuzzHarness.builder(name)
                .allows(IllegalArgumentException.class)
                .maxAllocated(n -> 96 * n + (16L << 20), "96 x file + 16 MiB")
                .build();
    }

    @Test
    void runConfigsReadOrAreRejectedWithAClearMessage() throws IOException {
        Path file = Files.createTempFile("fuzz", ".json");
        try {
            RUN.check(r -> mutate(r, RUN_SEEDS), input -> {
                Files.write(file, input);
                TrainConfig cfg = TrainConfig.fromJson(file);
                cfg.model().resolve();
                assertEquals(cfg, TrainConfig.fromJson(cfg.toJson()));
            });
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void modelConfigsReadOrAreRejectedWithAClearMessage() throws IOException {
        Path file = Files.createTempFile("fuzz", ".json");
        try {
            MODEL.check(r -> mutate(r, MODEL_SEEDS), input -> {
                Files.write(file, input);
                ClipConfig cfg = ClipConfig.fromJson(file);
                assertEquals(cfg, ClipConfig.fromJson(cfg.toJson()));
            });
        } finally {
            Files.delete(file);
        }
    }

    @AfterAll
    static void report() {
        RUN.writeReport();
        MODEL.writeReport();
    }

    private static byte[] mutate(Random r, List<byte[]> seeds) {
        Mutator m = new Mutator(r);
        byte[] seed = seeds.get(r.nextInt(seeds.size()));
        return r.nextInt(4) == 0 ? m.mutate(seed, seeds) : new JsonMutator(m).mutate(
                JsonMutator.parse(new String(seed, StandardCharsets.UTF_8)), seeds);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
