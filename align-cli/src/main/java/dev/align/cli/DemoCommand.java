package dev.align.cli;

import dev.align.core.Checks;
import dev.align.core.io.AtomicFiles;
import dev.align.data.imports.SyntheticImporter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The main job: the most complete path align has, as the three commands a user would type. It
 * imports the procedural image-text set (no download) into WebDataset shards with a BPE
 * tokenizer trained on its captions, trains the {@code tiny} dual encoder from scratch on those
 * shards, then classifies the set's held-out images zero-shot among its colour-and-shape classes
 * ("a photo of a red circle.", ...) and prints the accuracy next to chance.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Import procedural image-text shards, train a tiny dual encoder on them (a "
                + "few minutes on 2 cores), then evaluate it zero-shot on held-out images.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "runs/demo",
            description = "Output folder (default: ${DEFAULT-VALUE}); an earlier demo there is replaced.")
    Path out;

    @Option(names = "--count", defaultValue = "8000",
            description = "Training pairs to generate (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--steps", defaultValue = "400", description = "Training steps (default: ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--batch", defaultValue = "128", description = "Global batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of data and training (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws IOException {
        replaceEarlierDemo(out);
        Files.createDirectories(out);
        Path data = out.resolve("data");
        Path run = out.resolve("run");
        Path config = out.resolve("train.json");
        Path report = out.resolve("zero-shot.json");
        int shards = (count + 999) / 1000;                    // the importer's 1,000 pairs per shard
        AtomicFiles.write(config, String.format(Locale.ROOT, """
                {"schemaVersion": 1, "model": {"preset": "tiny"},
                 "data": {"kind": "SHARDS", "shards": "%s/{00000..%05d}.tar", "tokenizer": "%s/tokenizer.json"},
                 "loss": {"kind": "INFONCE"},
                 "optimizer": {"peakLr": 1e-3, "warmupSteps": %d, "weightDecay": 0.1},
                 "globalBatch": %d, "steps": %d, "seed": %d, "checkpointEvery": %d}
                """, json(data), shards - 1, json(data), Math.max(1, steps / 10), batch, steps, seed,
                steps).getBytes(StandardCharsets.UTF_8));

        step(1, "import procedural image-text pairs into shards",
                "data", "import", "synthetic", "--out", data.toString(), "--count",
                Integer.toString(count), "--image-size", "32", "--seed", Long.toString(seed));
        step(2, "train the tiny preset from scratch on them",
                "train", "--config", config.toString(), "--out", run.toString());
        step(3, "classify held-out images zero-shot among the " + classes() + " colour-shape classes",
                "eval", "zero-shot", "--model", run.resolve("model").toString(), "--data",
                data.resolve("eval").toString(), "--templates", "simple", "--report",
                report.toString());
        System.out.printf(Locale.ROOT, "demo done: chance is %.1f%%; the run, its plots and the "
                + "report are in %s%n", 100.0 / classes(), out);
        return 0;
    }

    private static int classes() {
        return SyntheticImporter.COLOURS.size() * SyntheticImporter.SHAPES.size();
    }

    /** Runs one command of {@code ./align}, echoing it; stops the demo if it fails. */
    private static void step(int n, String what, String... args) {
        System.out.printf(Locale.ROOT, "%n[%d/3] %s%n$ ./align %s%n", n, what, String.join(" ",
                List.of(args)));
        int status = Main.run(args);
        Checks.checkState(status == 0, "step %s (./align %s) failed with status %s", n,
                String.join(" ", args), status);
    }

    private static String json(Path p) {
        return p.toString().replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Removes an earlier demo's folder (one holding train.json); refuses anything else. */
    private static void replaceEarlierDemo(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        Checks.checkArgument(Files.exists(p.resolve("train.json"))
                        || Files.exists(p.resolve("provenance.json")),
                "%s exists and is not an earlier demo's folder: choose another --out", p);
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
