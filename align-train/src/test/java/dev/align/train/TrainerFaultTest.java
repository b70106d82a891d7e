package dev.align.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.core.testing.FaultyFileSystem;
import dev.align.train.checkpoint.Checkpoints;
import dev.align.train.config.TrainConfig;
import dev.align.train.data.DataSources;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on a disk that fills up or a folder that turns read-only, through
 * {@link FaultyFileSystem} (no root, no mount, the same on every machine): the run stops with an
 * error that says what happened and what to do, the previous checkpoint stays valid, nothing
 * half-written sits where a reader would take it for whole, and {@code --resume} once the disk is
 * healthy ends with the weights of a run that never failed.
 */
class TrainerFaultTest {

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());
    /** 12 steps, a checkpoint every 4 (after steps 4, 8 and 12). */
    private static final TrainConfig CFG = TrainConfig.fromJson("""
            {"schemaVersion": 1, "model": {"preset": "test", "patchDropout": 0.3},
             "data": {"kind": "SYNTHETIC"}, "loss": {"kind": "INFONCE"},
             "optimizer": {"peakLr": 3e-3, "warmupSteps": 3},
             "globalBatch": 8, "microBatch": 3, "steps": 12, "seed": 23, "threads": 1,
             "checkpointEvery": 4, "keepCheckpoints": 3}""");

    @TempDir
    static Path shared;
    private static byte[] straightWeights;
    private static long checkpointBytes;

    @TempDir
    Path real;

    @BeforeAll
    static void trainWithoutFaults() throws IOException {
        Path out = shared.resolve("straight");
        try (Trainer t = Trainer.open(CFG, DataSources.open(CFG), out, false)) {
            t.run(QUIET);
        }
        straightWeights = Files.readAllBytes(out.resolve("model/model.safetensors"));
        try (Stream<Path> files = Files.list(out.resolve("checkpoints/step-00000012"))) {
            for (Path f : files.toList()) {
                checkpointBytes += Files.size(f);
            }
        }
    }

    private static void run(Path out, boolean resume, Consumer<dev.align.train.metrics.StepMetrics> observer)
            throws IOException {
        try (Trainer t = Trainer.open(CFG, DataSources.open(CFG), out, resume)) {
            t.run(QUIET, observer);
        }
    }

    private static Set<String> names(Path realDir) throws IOException {
        try (Stream<Path> list = Files.list(realDir)) {
            return new TreeSet<>(list.map(p -> p.getFileName().toString()).toList());
        }
    }

    /** After the failure: only whole checkpoints, the newest valid one being {@code step}. */
    private static void assertOnlyWholeCheckpointsUpTo(Path realOut, long step) throws IOException {
        Set<String> expected = new TreeSet<>();
        for (long s = 4; s <= step; s += 4) {
            expected.add(String.format("step-%08d", s));
        }
        assertEquals(expected, names(realOut.resolve("checkpoints")), "no temporary folder left");
        Checkpoints.Found found = new Checkpoints(realOut.resolve("checkpoints"), 3).latestValid()
                .orElseThrow();
        assertEquals(step, found.state().step());
        assertFalse(Files.exists(realOut.resolve("model")), "no model folder from a failed run");
    }

    @Test
    void aFullDiskAtACheckpointStopsTheRunAndResumeFinishesItExactly() throws IOException {
        FaultyFileSystem fs = FaultyFileSystem.over(real);
        Path out = fs.root().resolve("run");
        IOException e = assertThrows(IOException.class, () -> run(out, false, m -> {
            if (m.step() == 6) {
                fs.fillUp(checkpointBytes / 3);   // room for the metrics lines, not for step 8
            }
        }));
        assertTrue(e.getMessage().contains("cannot write checkpoint step-00000008")
                && e.getMessage().contains(FaultyFileSystem.NO_SPACE)
                && e.getMessage().contains("the previous checkpoint step-00000004 is intact")
                && e.getMessage().contains("--resume"), e.getMessage());
        assertOnlyWholeCheckpointsUpTo(real.resolve("run"), 4);

        fs.heal();
        run(out, true, m -> { });
        assertArrayEquals(straightWeights, Files.readAllBytes(real.resolve("run/model/model.safetensors")));
        assertEquals(12, Files.readAllLines(real.resolve("run/metrics.jsonl")).size());
    }

    @Test
    void aCheckpointFolderTurnedReadOnlyStopsTheRunAndResumeFinishesItExactly() throws IOException {
        FaultyFileSystem fs = FaultyFileSystem.over(real);
        Path out = fs.root().resolve("run");
        IOException e = assertThrows(IOException.class, () -> run(out, false, m -> {
            if (m.step() == 5) {
                fs.makeReadOnly(out.resolve("checkpoints"));
            }
        }));
        assertTrue(e.getMessage().contains("cannot write checkpoint step-00000008")
                && e.getMessage().contains("permission denied: " + real.resolve("run/checkpoints"))
                && e.getMessage().contains("step-00000004 is intact"), e.getMessage());
        assertOnlyWholeCheckpointsUpTo(real.resolve("run"), 4);

        fs.heal();
        run(out, true, m -> { });
        assertArrayEquals(straightWeights, Files.readAllBytes(real.resolve("run/model/model.safetensors")));
    }

    @Test
    void aFullDiskAtTheFinalModelLeavesNoModelFolderAndResumeWritesIt() throws IOException {
        FaultyFileSystem fs = FaultyFileSystem.over(real);
        Path out = fs.root().resolve("run");
        IOException e = assertThrows(IOException.class, () -> run(out, false, m -> {
            if (m.step() == 12) {   // the last checkpoint fits, the model folder does not
                fs.fillUp(checkpointBytes + straightWeights.length / 2);
            }
        }));
        assertTrue(e.getMessage().contains("cannot write the final model folder")
                && e.getMessage().contains(FaultyFileSystem.NO_SPACE)
                && e.getMessage().contains("checkpoint of step 12 holds the same weights"),
                e.getMessage());
        assertOnlyWholeCheckpointsUpTo(real.resolve("run"), 12);
        assertEquals(Set.of("checkpoints", "metrics.jsonl", "provenance.json"),
                names(real.resolve("run")), "no half-written model folder, hidden or not");

        fs.heal();
        run(out, true, m -> { });
        assertArrayEquals(straightWeights, Files.readAllBytes(real.resolve("run/model/model.safetensors")));
        assertEquals(Set.of("bundle.json", "model.json", "model.safetensors", "provenance.json"),
                names(real.resolve("run/model")));
    }

    @Test
    void aReadOnlyOutputFolderRefusesTheFinalModelAndResumeWritesIt() throws IOException {
        FaultyFileSystem fs = FaultyFileSystem.over(real);
        Path out = fs.root().resolve("run");
        IOException e = assertThrows(IOException.class, () -> run(out, false, m -> {
            if (m.step() == 12) {
                fs.makeReadOnly(out);            // checkpoints/ itself stays writable
            }
        }));
        assertTrue(e.getMessage().contains("cannot write the final model folder")
                && e.getMessage().contains("permission denied"), e.getMessage());
        assertOnlyWholeCheckpointsUpTo(real.resolve("run"), 12);

        fs.heal();
        run(out, true, m -> { });
        assertArrayEquals(straightWeights, Files.readAllBytes(real.resolve("run/model/model.safetensors")));
    }

    @Test
    void aReadOnlyOutputFolderIsRefusedBeforeTheFirstStep() throws IOException {
        FaultyFileSystem fs = FaultyFileSystem.over(real);
        Path out = fs.root().resolve("run");
        fs.makeReadOnly(fs.root());
        IOException e = assertThrows(IOException.class, () -> run(out, false, m -> { }));
        assertTrue(e instanceof java.nio.file.AccessDeniedException, e.toString());
        assertEquals(List.of(), List.copyOf(names(real)), "nothing written");
    }
}
