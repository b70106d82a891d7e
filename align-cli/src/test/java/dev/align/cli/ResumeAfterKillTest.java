package dev.align.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise of checkpoints, tested the hard way: a child JVM training a model is killed with
 * SIGKILL after a checkpoint, mid-run; resuming it must end with weights bit-identical to a run
 * that never stopped.
 */
class ResumeAfterKillTest {

    @TempDir
    Path dir;

    @Test
    void aRunKilledWithSigkillResumesToBitIdenticalWeights() throws Exception {
        Path config = dir.resolve("run.json");
        Files.writeString(config, """
                {"schemaVersion": 1, "model": {"preset": "test", "patchDropout": 0.25},
                 "data": {"kind": "SYNTHETIC"}, "loss": {"kind": "INFONCE", "labelSmoothing": 0.1},
                 "optimizer": {"peakLr": 3e-3, "warmupSteps": 4},
                 "globalBatch": 8, "microBatch": 3, "steps": 80, "seed": 5,
                 "checkpointEvery": 10, "keepCheckpoints": 2}""");
        Path straight = dir.resolve("straight");
        Process uninterrupted = child(config, straight, false, dir.resolve("straight.log"));
        assertTrue(uninterrupted.waitFor(300, TimeUnit.SECONDS), "the uninterrupted run timed out");
        assertEquals(0, uninterrupted.exitValue(), "see straight.log");

        Path killed = dir.resolve("killed");
        Process victim = child(config, killed, false, dir.resolve("killed.log"));
        try {
            waitForStep(killed, 13, victim);
        } finally {
            victim.destroyForcibly();                                 // SIGKILL on POSIX
        }
        assertTrue(victim.waitFor(60, TimeUnit.SECONDS));
        assertEquals(137, victim.exitValue(), "killed by SIGKILL");
        assertFalse(Files.exists(killed.resolve("model")), "killed before the end");
        assertTrue(Files.exists(killed.resolve("checkpoints")));

        Process resumed = child(config, killed, true, dir.resolve("resumed.log"));
        assertTrue(resumed.waitFor(300, TimeUnit.SECONDS), "the resumed run timed out");
        assertEquals(0, resumed.exitValue(), "see resumed.log");
        assertArrayEquals(Files.readAllBytes(straight.resolve("model/model.safetensors")),
                Files.readAllBytes(killed.resolve("model/model.safetensors")));
        assertEquals(80, Files.readAllLines(killed.resolve("metrics.jsonl")).size());
    }

    /** A training JVM like {@code ./align train}, with one libtorch thread (the test's JVM has its own). */
    private static Process child(Path config, Path out, boolean resume, Path log) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true", "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1",
                "dev.align.cli.Main", "train", "--config", config.toString(), "--out", out.toString()));
        if (resume) {
            cmd.add("--resume");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    /** Waits until the child has logged {@code step} (so it has checkpointed and gone on). */
    private static void waitForStep(Path out, int step, Process child) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        Path metrics = out.resolve("metrics.jsonl");
        while (System.nanoTime() < deadline) {
            assertTrue(child.isAlive(), "the child ended before it could be killed; see child.log");
            if (Files.exists(metrics)) {
                List<String> lines = Files.readAllLines(metrics);
                if (lines.size() >= step) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the child did not reach step " + step + " in time");
    }
}
