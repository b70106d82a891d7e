package dev.align.benchmarks;

import dev.align.train.Trainer;
import dev.align.train.config.TrainConfig;
import dev.align.train.data.DataSources;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Soak test of training: the {@code tiny} preset on synthetic pairs for many steps (10,000 by
 * default), with checkpoints as a real run writes them, sampling resident memory, live NDArrays,
 * the Java heap after a full GC and throughput every {@code every} steps. Writes
 * {@code OUT/soak-train.jsonl} and {@code OUT/soak-train.png}, prints the verdict of
 * {@link SoakRecorder} and exits with 1 when the run was not flat. Not a unit test: run it with
 * {@code bench/soak train} (see benchmarks/README.md).
 *
 * <pre>TrainSoak OUT [steps=10000] [batch=32] [every=50]</pre>
 */
public final class TrainSoak {

    private TrainSoak() {}

    /** Runs the soak; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: TrainSoak OUT [steps=10000] [batch=32] [every=50]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        long steps = args.length > 1 ? Long.parseLong(args[1]) : 10_000;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int every = args.length > 3 ? Integer.parseInt(args[3]) : 50;
        int threads = Integer.getInteger("ai.djl.pytorch.num_threads", 2);
        Path run = out.resolve("run");
        if (Files.exists(run)) {
            throw new IllegalArgumentException(run + " exists: give an empty OUT");
        }
        TrainConfig cfg = TrainConfig.fromJson(String.format(Locale.ROOT, """
                {"schemaVersion": 1, "model": {"preset": "tiny"}, "data": {"kind": "SYNTHETIC"},
                 "loss": {"kind": "INFONCE"}, "optimizer": {"peakLr": 5e-4, "warmupSteps": %d},
                 "globalBatch": %d, "steps": %d, "seed": 0, "threads": %d,
                 "checkpointEvery": %d, "keepCheckpoints": 2}""", Math.min(100, steps / 10),
                batch, steps, threads, Math.max(1, steps / 10)));
        SoakRecorder soak = new SoakRecorder("soak-train", "step", "samples/s", out);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        System.err.printf(Locale.ROOT, "train soak: tiny, %d steps of %d, %d libtorch threads, "
                + "sampling every %d steps into %s%n", steps, batch, threads, every, out);
        try (Trainer trainer = Trainer.open(cfg, DataSources.open(cfg), run, false)) {
            soak.sample(0, batch, trainer.liveArrayCount());
            trainer.run(quiet, m -> {
                if (m.step() % every == 0 || m.step() == steps) {
                    SoakRecorder.Sample s = soak.sample(m.step(), batch, trainer.liveArrayCount());
                    if (m.step() % (every * 20L) == 0 || m.step() == steps) {
                        System.err.println("train soak: " + SoakRecorder.json(s) + " loss "
                                + String.format(Locale.ROOT, "%.4f", m.loss()));
                    }
                }
            });
        }
        SoakRecorder.Verdict v = soak.finish("train soak (tiny, batch " + batch + ")");
        System.out.println(v.summary());
        System.out.println("files: " + out.resolve("soak-train.jsonl") + ", "
                + out.resolve("soak-train.png"));
        System.exit(v.flat() ? 0 : 1);
    }
}
