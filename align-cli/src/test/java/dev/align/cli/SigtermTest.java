package dev.align.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.curation.pipeline.CurationPipeline;
import dev.align.data.shards.ShardWriter;
import dev.align.train.TrainingStoppedException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM, which batch schedulers and preemptible clouds send before they kill a job, delivered
 * to real child JVMs. {@code train} finishes its step, writes a checkpoint and exits with 75;
 * {@code --resume} then continues bit-exactly. {@code curate} restarts cleanly instead: the
 * signal ends it (143) with its folder marked unfinished, and the same command starts over and
 * writes what an uninterrupted run writes.
 */
class SigtermTest {

    @TempDir
    Path dir;

    @Test
    void trainingFinishesTheStepWritesACheckpointExits75AndResumesBitExactly() throws Exception {
        Path config = dir.resolve("run.json");
        // No periodic checkpoint before the end: the only one mid-run is the one SIGTERM writes.
        Files.writeString(config, """
                {"schemaVersion": 1, "model": {"preset": "test", "patchDropout": 0.25},
                 "data": {"kind": "SYNTHETIC"}, "loss": {"kind": "INFONCE"},
                 "optimizer": {"peakLr": 3e-3, "warmupSteps": 4},
                 "globalBatch": 8, "microBatch": 3, "steps": 40, "seed": 9,
                 "checkpointEvery": 1000, "keepCheckpoints": 2}""");
        Path straight = dir.resolve("straight");
        Path straightLog = dir.resolve("straight.log");
        Process uninterrupted = ChildJvm.start(straightLog, "train", "--config", config.toString(),
                "--out", straight.toString());
        assertEquals(0, ChildJvm.exitStatus(uninterrupted, straightLog), ChildJvm.tail(straightLog));

        Path stopped = dir.resolve("stopped");
        Path stoppedLog = dir.resolve("stopped.log");
        Process victim = ChildJvm.start(stoppedLog, "train", "--config", config.toString(), "--out",
                stopped.toString());
        ChildJvm.waitUntil(() -> ChildJvm.lines(stopped.resolve("metrics.jsonl")) >= 8, victim,
                stoppedLog, "step 8");
        victim.destroy();                                             // SIGTERM on POSIX
        assertEquals(TrainingStoppedException.EXIT_STATUS, ChildJvm.exitStatus(victim, stoppedLog),
                ChildJvm.tail(stoppedLog));
        List<String> beforeResume = Files.readAllLines(stopped.resolve("metrics.jsonl"));
        int step = beforeResume.size();
        assertTrue(step >= 8 && step < 40, "stopped at step " + step);
        String checkpoint = String.format("step-%08d", step);
        try (Stream<Path> list = Files.list(stopped.resolve("checkpoints"))) {
            assertEquals(List.of(checkpoint), list.map(p -> p.getFileName().toString()).toList(),
                    "the checkpoint of the step in progress, and nothing else");
        }
        String log = Files.readString(stoppedLog);
        assertTrue(log.contains("SIGTERM: finishing the current step")
                && log.contains("training stopped after step " + step + " on SIGTERM"), log);
        assertFalse(Files.exists(stopped.resolve("model")));

        Path resumedLog = dir.resolve("resumed.log");
        Process resumed = ChildJvm.start(resumedLog, "train", "--config", config.toString(), "--out",
                stopped.toString(), "--resume");
        assertEquals(0, ChildJvm.exitStatus(resumed, resumedLog), ChildJvm.tail(resumedLog));
        assertTrue(Files.readString(resumedLog).contains("(step " + step + ")"),
                ChildJvm.tail(resumedLog));
        assertArrayEquals(Files.readAllBytes(straight.resolve("model/model.safetensors")),
                Files.readAllBytes(stopped.resolve("model/model.safetensors")));
        List<String> after = Files.readAllLines(stopped.resolve("metrics.jsonl"));
        assertEquals(40, after.size());
        assertEquals(beforeResume, after.subList(0, step), "the stopped run's steps were kept");
    }

    @Test
    void curationEndsOnSigtermAndTheSameCommandStartsOver() throws Exception {
        Path pool = dir.resolve("pool");
        byte[] png = png();
        try (ShardWriter w = new ShardWriter(pool, 300)) {
            for (int i = 0; i < 600; i++) {
                w.write(String.format("%06d", i), "png", png, "a red thing number " + (i % 97),
                        null);
            }
        }
        Path metadata = dir.resolve("meta.txt");
        Files.writeString(metadata, "red\nthing\nnumber\n");
        String poolPattern = pool + "/{00000..00001}.tar";
        Path reference = dir.resolve("reference");
        String[] common = {"curate", "--pool", poolPattern, "--steps", "metaclip:metadata="
                + metadata + ",t=400,seed=1", "--samples-per-shard", "1", "--threads", "1"};
        Cli.Result straight = Cli.run(with(common, "--out", reference.toString()));
        assertEquals(0, straight.status(), straight.err());

        // One output shard per kept pair, each fsynced: slow enough to be caught in the middle.
        Path out = dir.resolve("curated");
        Path log = dir.resolve("curate.log");
        Process victim = ChildJvm.start(log, with(common, "--out", out.toString()));
        ChildJvm.waitUntil(() -> Files.exists(out.resolve("shards/00005.tar")), victim, log,
                "its 6th output shard");
        victim.destroy();                                             // SIGTERM
        assertEquals(143, ChildJvm.exitStatus(victim, log), "ended by SIGTERM, not finished:\n"
                + ChildJvm.tail(log));
        assertTrue(Files.exists(out.resolve(CurationPipeline.INCOMPLETE)));
        assertFalse(Files.exists(out.resolve(CurationPipeline.SUMMARY)));

        Cli.Result again = Cli.run(with(common, "--out", out.toString()));
        assertEquals(0, again.status(), again.err());
        assertFalse(Files.exists(out.resolve(CurationPipeline.INCOMPLETE)));
        assertArrayEquals(Files.readAllBytes(reference.resolve(CurationPipeline.DECISIONS)),
                Files.readAllBytes(out.resolve(CurationPipeline.DECISIONS)));
        try (Stream<Path> shards = Files.list(reference.resolve("shards"))) {
            for (Path p : shards.toList()) {
                if (!p.getFileName().toString().equals("stats.json")) {
                    assertArrayEquals(Files.readAllBytes(p), Files.readAllBytes(
                            out.resolve("shards").resolve(p.getFileName())), p.toString());
                }
            }
        }
        try (Stream<Path> a = Files.list(reference.resolve("shards"));
                Stream<Path> b = Files.list(out.resolve("shards"))) {
            assertEquals(a.count(), b.count(), "no shard left over from the interrupted run");
        }
    }

    private static String[] with(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    private static byte[] png() throws Exception {
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 1, 0xFF0000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
