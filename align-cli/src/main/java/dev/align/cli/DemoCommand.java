package dev.align.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.align.core.data.ImageTextBatch;
import dev.align.models.clip.ClipModel;
import dev.align.train.TrainResult;
import dev.align.train.Trainer;
import dev.align.train.config.TrainConfig;
import dev.align.train.data.DataSources;
import dev.align.train.data.SyntheticPairs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The main job: the most complete path align has. It trains the {@code tiny} dual encoder from
 * scratch on the built-in procedural image-text pairs, then classifies unseen images zero-shot
 * among the captions of all 72 concepts ("a red disc top left", ...), and prints the accuracy
 * next to chance. It grows as evaluation and the data importers land.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train a tiny dual encoder on built-in synthetic image-text pairs (a few "
                + "minutes on 2 cores), then classify unseen images zero-shot.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "runs/demo",
            description = "Output folder (default: ${DEFAULT-VALUE}); an earlier run there is replaced.")
    Path out;

    @Option(names = "--steps", defaultValue = "300", description = "Training steps (default: ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--batch", defaultValue = "128", description = "Global batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws IOException {
        TrainConfig cfg = TrainConfig.fromJson(String.format(Locale.ROOT, """
                {"schemaVersion": 1, "model": {"preset": "tiny"}, "data": {"kind": "SYNTHETIC"},
                 "loss": {"kind": "INFONCE"},
                 "optimizer": {"peakLr": 1e-3, "warmupSteps": %d, "weightDecay": 0.1},
                 "globalBatch": %d, "steps": %d, "seed": %d, "checkpointEvery": %d}""",
                Math.max(1, steps / 10), batch, steps, seed, steps));
        deleteRecursively(out);
        System.out.printf(Locale.ROOT, "training the tiny preset for %d steps of %d synthetic pairs "
                + "into %s ...%n", steps, batch, out);
        TrainResult result;
        try (Trainer trainer = Trainer.open(cfg, DataSources.open(cfg), out, false)) {
            result = trainer.run(System.err);
        }
        System.out.printf(Locale.ROOT, "trained: final loss %.3f (ln %d = %.3f at chance), %.0f "
                + "samples/s; model in %s%n", result.finalLoss(), batch, Math.log(batch),
                result.samplesPerSecond(), result.modelDir());
        double accuracy = zeroShotAccuracy(result.modelDir(), cfg, 1000);
        System.out.printf(Locale.ROOT, "zero-shot accuracy on 1000 unseen images over %d concept "
                + "captions: %.1f%% (chance %.1f%%)%n", SyntheticPairs.concepts(), 100 * accuracy,
                100.0 / SyntheticPairs.concepts());
        return 0;
    }

    /** Top-1 accuracy of classifying unseen synthetic images among every concept's caption. */
    static double zeroShotAccuracy(Path modelDir, TrainConfig cfg, int images) throws IOException {
        var mc = cfg.model().resolve();
        SyntheticPairs unseen = new SyntheticPairs(mc.vision().imageSize(), mc.text().contextLength(),
                mc.text().vocabSize(), ~cfg.seed());                           // another seed
        int t = mc.text().contextLength();
        int c = SyntheticPairs.concepts();
        long[] captions = new long[c * t];
        for (int k = 0; k < c; k++) {
            System.arraycopy(unseen.captionIds(k), 0, captions, k * t, t);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = dev.align.models.io.ModelFolder.load(modelDir, manager,
                    ai.djl.ndarray.types.DataType.FLOAT32);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray classes = model.encodeText(ps, manager.create(captions, new Shape(c, t)), false);
            ImageTextBatch batch = unseen.next(images);
            int s = batch.imageSize();
            NDArray embeds = model.encodeImage(ps, manager.create(batch.pixels(),
                    new Shape(images, 3, s, s)), false);
            long[] predicted = embeds.matMul(classes.transpose()).argMax(1).toLongArray();
            int correct = 0;
            for (int i = 0; i < images; i++) {
                long[] truth = Arrays.copyOfRange(batch.tokenIds(), i * t, (i + 1) * t);
                if (Arrays.equals(truth, Arrays.copyOfRange(captions, (int) predicted[i] * t,
                        (int) (predicted[i] + 1) * t))) {
                    correct++;
                }
            }
            return correct / (double) images;
        }
    }

    /** Removes an earlier run's folder (one holding provenance.json); refuses anything else. */
    private static void deleteRecursively(Path p) throws IOException {
        if (!java.nio.file.Files.exists(p)) {
            return;
        }
        dev.align.core.Checks.checkArgument(java.nio.file.Files.exists(p.resolve("provenance.json")),
                "%s exists and is not an earlier run's folder: choose another --out", p);
        try (var walk = java.nio.file.Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(q);
            }
        }
    }
}
