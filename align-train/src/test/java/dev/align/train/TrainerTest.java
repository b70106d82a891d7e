package dev.align.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.core.data.ImageTextBatch;
import dev.align.core.data.ImageTextSource;
import dev.align.train.config.TrainConfig;
import dev.align.train.data.DataSources;
import dev.align.train.data.SyntheticPairs;
import dev.align.train.metrics.StepMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

    @TempDir
    Path dir;

    /** A tiny run with patch dropout and micro-batches that do not divide the global batch. */
    static TrainConfig config(long steps, String loss) {
        return TrainConfig.fromJson("""
                {"schemaVersion": 1, "model": {"preset": "test", "patchDropout": 0.3},
                 "data": {"kind": "SYNTHETIC"}, "loss": {"kind": "%s"},
                 "optimizer": {"peakLr": 3e-3, "warmupSteps": 3},
                 "globalBatch": 8, "microBatch": 3, "steps": %d, "seed": 11, "threads": 1,
                 "checkpointEvery": 5, "keepCheckpoints": 2}""".formatted(loss, steps));
    }

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    private static TrainResult train(TrainConfig cfg, Path out, boolean resume) throws IOException {
        try (Trainer t = Trainer.open(cfg, DataSources.open(cfg), out, resume)) {
            return t.run(QUIET);
        }
    }

    private static byte[] weights(Path out) throws IOException {
        return Files.readAllBytes(out.resolve("model/model.safetensors"));
    }

    @Test
    void twoRunsWithTheSameConfigGiveBitIdenticalWeights() throws IOException {
        TrainConfig cfg = config(6, "INFONCE");
        train(cfg, dir.resolve("a"), false);
        train(cfg, dir.resolve("b"), false);
        assertArrayEquals(weights(dir.resolve("a")), weights(dir.resolve("b")));
        assertTrue(Files.size(dir.resolve("a/training.png")) > 1000);
        assertTrue(Files.exists(dir.resolve("a/model/model.json")));
        assertEquals(6, Files.readAllLines(dir.resolve("a/metrics.jsonl")).size());
    }

    @Test
    void aRunInterruptedAfterACheckpointResumesToTheSameWeights() throws IOException {
        TrainConfig cfg = config(12, "INFONCE");
        train(cfg, dir.resolve("straight"), false);
        Path out = dir.resolve("interrupted");
        try (Trainer t = Trainer.open(cfg, DataSources.open(cfg), out, false)) {
            assertThrows(IllegalStateException.class, () -> t.run(QUIET, m -> {
                if (m.step() == 8) {
                    throw new IllegalStateException("simulated crash after step 8");
                }
            }));
        }
        TrainResult resumed;
        try (Trainer t = Trainer.open(cfg, DataSources.open(cfg), out, true)) {
            assertEquals(5, t.step(), "resumes from the checkpoint at step 5");
            resumed = t.run(QUIET);
        }
        assertEquals(12, resumed.steps());
        assertArrayEquals(weights(dir.resolve("straight")), weights(out));
        List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertEquals(12, lines.size(), "steps 6-8 of the crashed run are not logged twice");
        assertEquals(Files.readAllLines(dir.resolve("straight/metrics.jsonl")).get(11).replaceAll(
                ",\"samplesPerSecond.*", ""), lines.get(11).replaceAll(",\"samplesPerSecond.*", ""));
    }

    /**
     * A run trained on a thread of its own (where grad mode starts on, unlike the engine's
     * thread), side by side with another run on a second thread, and resumed on a third, ends
     * with the weights of a run trained alone on the test's thread: what the curation experiment
     * relies on when it trains several runs at once.
     */
    @Test
    void runsOnOtherThreadsAtOnceGiveTheSameWeights() throws Exception {
        TrainConfig cfg = config(12, "INFONCE");
        train(cfg, dir.resolve("alone"), false);
        Path interrupted = dir.resolve("interrupted");
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread first = new Thread(() -> {
            try (Trainer t = Trainer.open(cfg, DataSources.open(cfg), interrupted, false)) {
                t.run(QUIET, m -> {
                    if (m.step() == 8) {
                        throw new IllegalStateException("simulated crash after step 8");
                    }
                });
            } catch (IllegalStateException expected) {
                // resumed below
            } catch (Throwable e) {
                failures.add(e);
            }
        });
        Thread second = new Thread(() -> {
            try {
                train(cfg, dir.resolve("beside"), false);
            } catch (Throwable e) {
                failures.add(e);
            }
        });
        first.start();
        second.start();
        first.join();
        second.join();
        Thread resume = new Thread(() -> {
            try {
                train(cfg, interrupted, true);
            } catch (Throwable e) {
                failures.add(e);
            }
        });
        resume.start();
        resume.join();
        assertEquals(List.of(), failures);
        assertArrayEquals(weights(dir.resolve("alone")), weights(dir.resolve("beside")));
        assertArrayEquals(weights(dir.resolve("alone")), weights(interrupted));
    }

    /**
     * Reading each micro-batch again from the source for the second pass (memory flat in the
     * global batch) and holding the whole batch give the same run, bit for bit; so does spreading
     * the micro-batches over two device entries, up to float rounding of the gradient sums.
     */
    @Test
    void replayingMicroBatchesAndTwoDevicesTrainTheSameModel() throws IOException {
        String base = config(6, "INFONCE").toJson();
        TrainConfig replay = TrainConfig.fromJson(base.replace("\"replayMicroBatches\" : false",
                "\"replayMicroBatches\" : true"));
        TrainConfig held = TrainConfig.fromJson(base.replace("\"replayMicroBatches\" : true",
                "\"replayMicroBatches\" : false"));
        assertTrue(replay.replayMicroBatches());
        assertFalse(held.replayMicroBatches());
        TrainConfig twoDevices = TrainConfig.fromJson(base.replace("\"devices\" : [ \"cpu\" ]",
                "\"devices\" : [ \"cpu\", \"cpu\" ]"));
        assertEquals(2, twoDevices.devices().size());
        TrainResult a = train(replay, dir.resolve("replay"), false);
        TrainResult b = train(held, dir.resolve("held"), false);
        TrainResult c = train(twoDevices, dir.resolve("two"), false);
        assertEquals(a.finalLoss(), b.finalLoss());
        assertArrayEquals(weights(dir.resolve("replay")), weights(dir.resolve("held")));
        assertEquals(a.finalLoss(), c.finalLoss(), 1e-4);
    }

    @Test
    void sigLipRunsResumeExactlyToo() throws IOException {
        TrainConfig c = config(7, "SIGLIP_CHUNKED");
        TrainConfig cfg = new TrainConfig(1, new dev.align.train.config.ModelSpec(null,
                dev.align.models.config.ClipConfig.test().withSigLipInit(), 0.3), c.data(), c.loss(),
                c.optimizer(), c.globalBatch(), c.microBatch(), c.steps(), c.seed(), c.threads(),
                c.checkpointEvery(), c.keepCheckpoints(), c.lockImage(), c.lockText(), c.device(), c.devices(), c.replayMicroBatches(),
                c.eval());
        train(cfg, dir.resolve("straight"), false);
        Path out = dir.resolve("interrupted");
        try (Trainer t = Trainer.open(cfg, DataSources.open(cfg), out, false)) {
            assertThrows(IllegalStateException.class, () -> t.run(QUIET, m -> {
                if (m.step() == 6) {
                    throw new IllegalStateException("crash");
                }
            }));
        }
        train(cfg, out, true);
        assertArrayEquals(weights(dir.resolve("straight")), weights(out));
    }

    @Test
    void lossFallsOnSyntheticPairs() throws IOException {
        TrainConfig cfg = config(30, "INFONCE");
        List<Double> losses = new ArrayList<>();
        try (Trainer t = Trainer.open(cfg, DataSources.open(cfg), dir.resolve("learn"), false)) {
            t.run(QUIET, m -> losses.add(m.loss()));
        }
        double first = losses.subList(0, 5).stream().mapToDouble(d -> d).average().orElseThrow();
        double last = losses.subList(25, 30).stream().mapToDouble(d -> d).average().orElseThrow();
        assertTrue(last < 0.8 * first, "loss should fall: first " + first + ", last " + last);
    }

    @Test
    void aNonFiniteLossStopsTheRunNamingTheStep() throws IOException {
        TrainConfig cfg = config(10, "INFONCE");
        ImageTextSource poisoned = new ImageTextSource() {
            private final SyntheticPairs pairs = new SyntheticPairs(16, 8, 64, 1);
            @Override
            public ImageTextBatch next(int batchSize) {
                long at = pairs.position();                    // the pairs of step 3 are NaN
                ImageTextBatch b = pairs.next(batchSize);
                if (at / cfg.globalBatch() == 2) {
                    Arrays.fill(b.pixels(), Float.NaN);
                }
                return b;
            }

            @Override
            public long position() {
                return pairs.position();
            }

            @Override
            public void seek(long position) {
                pairs.seek(position);
            }
        };
        try (Trainer t = Trainer.open(cfg, poisoned, dir.resolve("nan"), false)) {
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.run(QUIET));
            assertEquals(3, e.step());
            assertTrue(e.getMessage().contains("NaN at step 3"), e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("nan/model")), "no final model from a diverged run");
    }

    @Test
    void refusesToOverwriteAnotherRunsCheckpoints() throws IOException {
        TrainConfig cfg = config(5, "INFONCE");
        train(cfg, dir.resolve("run"), false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> train(cfg, dir.resolve("run"), false));
        assertTrue(e.getMessage().contains("--resume"), e.getMessage());
    }

    @Test
    void liveArraysStayFlatOverHundredsOfSteps() throws IOException {
        TrainConfig cfg = config(200, "INFONCE");
        long[] counts = new long[201];
        try (Trainer t = Trainer.open(cfg, DataSources.open(cfg), dir.resolve("leak"), false)) {
            t.run(QUIET, m -> counts[(int) m.step()] = t.liveArrayCount());
        }
        assertEquals(counts[10], counts[200], "live arrays at step 10 vs 200: " + counts[10] + " vs " + counts[200]);
        assertEquals(counts[10], counts[100]);
    }

    static double mean(List<StepMetrics> ms) {
        return ms.stream().mapToDouble(StepMetrics::loss).average().orElse(Double.NaN);
    }
}
