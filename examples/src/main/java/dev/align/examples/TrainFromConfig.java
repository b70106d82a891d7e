package dev.align.examples;

import dev.align.train.TrainResult;
import dev.align.train.Trainer;
import dev.align.train.config.TrainConfig;
import dev.align.train.data.DataSources;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Trains a dual encoder from a JSON run config, as {@code ./align train} does, and prints where
 * the model went.
 *
 * <pre>
 * examples/run TrainFromConfig run.json runs/my-run [resume]
 * </pre>
 *
 * <p>Prints {@code trained 30 steps: final loss 3.1234, 250 samples/s; model folder runs/my-run/model}
 * on stdout; the progress bar goes to stderr. The model folder is what {@code ClipEmbedder.open}
 * and every other example read.
 */
public final class TrainFromConfig {

    private TrainFromConfig() {}

    /**
     * Runs the example.
     *
     * @param args the run config, the output folder, optionally {@code resume}
     * @throws IOException if the config, the data or the output cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        TrainConfig cfg = TrainConfig.fromJson(Path.of(args[0]));   // strict JSON, see --help
        Path out = Path.of(args[1]);
        boolean resume = args.length > 2 && args[2].equals("resume");
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            // libtorch reads its thread count once, when the engine loads
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(cfg.threads()));
        }
        try (Trainer trainer = Trainer.open(cfg, DataSources.open(cfg), out, resume)) {
            TrainResult result = trainer.run(System.err);
            System.out.printf("trained %d steps: final loss %.4f, %.0f samples/s; model folder %s%n",
                    result.steps(), result.finalLoss(), result.samplesPerSecond(),
                    result.modelDir());
        }
    }
}
