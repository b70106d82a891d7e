package dev.align.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.train.checkpoint.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise of checkpoints, tested the hard way: a child JVM training a model is killed with
 * SIGKILL after a checkpoint, mid-run; resuming it must end with weights bit-identical to a run
 * that never stopped, and must be a resume: it loads the checkpoint and runs only the remaining
 * steps (a fresh start would reach the same weights too, the run being deterministic).
 */
class ResumeAfterKillTest {

    @TempDir
    Path dir;

    @Test
    void aRunKilledWithSigkillResumesFromItsCheckpointToBitIdenticalWeights() throws Exception {
        Path config = dir.resolve("run.json");
        Files.writeString(config, """
                {"schemaVersion": 1, "model": {"preset": "test", "patchDropout": 0.25},
                 "data": {"kind": "SYNTHETIC"}, "loss": {"kind": "INFONCE", "labelSmoothing": 0.1},
                 "optimizer": {"peakLr": 3e-3, "warmupSteps": 4},
                 "globalBatch": 8, "microBatch": 3, "steps": 80, "seed": 5,
                 "checkpointEvery": 10, "keepCheckpoints": 2}""");
        Path straight = dir.resolve("straight");
        Path straightLog = dir.resolve("straight.log");
        Process uninterrupted = ChildJvm.start(straightLog, "train", "--config", config.toString(),
                "--out", straight.toString());
        assertEquals(0, ChildJvm.exitStatus(uninterrupted, straightLog), ChildJvm.tail(straightLog));

        Path killed = dir.resolve("killed");
        Path killedLog = dir.resolve("killed.log");
        Process victim = ChildJvm.start(killedLog, "train", "--config", config.toString(), "--out",
                killed.toString());
        try {
            ChildJvm.waitUntil(() -> ChildJvm.lines(killed.resolve("metrics.jsonl")) >= 13, victim,
                    killedLog, "step 13");
        } finally {
            victim.destroyForcibly();                                 // SIGKILL on POSIX
        }
        assertEquals(137, ChildJvm.exitStatus(victim, killedLog), "killed by SIGKILL");
        assertFalse(Files.exists(killed.resolve("model")), "killed before the end");
        long checkpoint = new Checkpoints(killed.resolve("checkpoints"), 2).latestValid()
                .orElseThrow().state().step();
        assertTrue(checkpoint >= 10 && checkpoint % 10 == 0, "checkpoint at step " + checkpoint);
        List<String> beforeResume = Files.readAllLines(killed.resolve("metrics.jsonl"));
        assertTrue(beforeResume.size() > checkpoint, "killed after steps past the checkpoint");

        Path resumedLog = dir.resolve("resumed.log");
        Process resumed = ChildJvm.start(resumedLog, "train", "--config", config.toString(), "--out",
                killed.toString(), "--resume");
        assertEquals(0, ChildJvm.exitStatus(resumed, resumedLog), ChildJvm.tail(resumedLog));
        assertArrayEquals(Files.readAllBytes(straight.resolve("model/model.safetensors")),
                Files.readAllBytes(killed.resolve("model/model.safetensors")));

        // It was a resume: the checkpoint was loaded and only the remaining steps ran.
        assertTrue(Files.readString(resumedLog).contains("resuming from " + killed.resolve(
                "checkpoints").resolve(String.format("step-%08d", checkpoint)) + " (step "
                + checkpoint + ")"), ChildJvm.tail(resumedLog));
        List<String> after = Files.readAllLines(killed.resolve("metrics.jsonl"));
        assertEquals(80, after.size());
        // Each line carries that process's timings, so the lines up to the checkpoint being the
        // killed run's own, byte for byte, shows they were not trained again.
        assertEquals(beforeResume.subList(0, (int) checkpoint), after.subList(0, (int) checkpoint));
        assertNotEquals(Files.readAllLines(straight.resolve("metrics.jsonl")).subList(0, (int) checkpoint),
                after.subList(0, (int) checkpoint), "another process's timings differ");
        assertNotEquals(beforeResume.get((int) checkpoint), after.get((int) checkpoint),
                "the step after the checkpoint was trained again by the resumed run");
    }
}
