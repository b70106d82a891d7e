package dev.align.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.align.models.clip.ClipModel;
import dev.align.models.clip.ClipOutput;
import dev.align.models.config.ClipConfig;
import dev.align.models.loss.InfoNceLoss;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The main job: the most complete path align has. For now it builds a dual encoder, embeds a
 * batch of synthetic image-text pairs and prints their similarity matrix and InfoNCE loss; it
 * grows into train-then-evaluate as the training and evaluation modules land.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Build a model, embed synthetic image-text pairs, print similarities and the "
                + "contrastive loss.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--preset", defaultValue = "tiny", description = "Model preset (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--pairs", defaultValue = "6", description = "Image-text pairs (default: ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        ClipConfig config = ClipConfig.preset(preset);
        int s = config.vision().imageSize();
        int t = config.text().contextLength();
        int vocab = config.text().vocabSize();
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[pairs * 3 * s * s];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        long[] ids = new long[pairs * t];
        for (int r = 0; r < pairs; r++) {
            int length = 2 + random.nextInt(t - 1);            // start .. words .. end
            ids[r * t] = 1;
            for (int c = 1; c < length - 1; c++) {
                ids[r * t + c] = 2 + random.nextInt(vocab - 3);
            }
            ids[r * t + length - 1] = vocab - 1;               // end-of-text: the largest id
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            long start = System.nanoTime();
            ClipModel model = ClipModel.create(config, manager, DataType.FLOAT32, seed);
            System.out.printf(Locale.ROOT, "%s: %,d parameters, initialised in %.2f s%n", preset,
                    model.parameterCount(), (System.nanoTime() - start) / 1e9);
            start = System.nanoTime();
            ClipOutput out = model.forward(new ParameterStore(manager, false),
                    manager.create(pixels, new Shape(pairs, 3, s, s)),
                    manager.create(ids, new Shape(pairs, t)), false);
            NDArray sims = out.imageEmbeds().matMul(out.textEmbeds().transpose());
            float loss = new InfoNceLoss().compute(out.imageEmbeds(), out.textEmbeds(),
                    out.logitScale(), null).getFloat();
            System.out.printf(Locale.ROOT, "embedded %d pairs in %.3f s; cosine similarity "
                    + "(rows: images, columns: texts):%n", pairs, (System.nanoTime() - start) / 1e9);
            float[] m = sims.toFloatArray();
            for (int r = 0; r < pairs; r++) {
                StringBuilder row = new StringBuilder();
                for (int c = 0; c < pairs; c++) {
                    row.append(String.format(Locale.ROOT, "%7.3f", m[r * pairs + c]));
                }
                System.out.println(row);
            }
            System.out.printf(Locale.ROOT, "InfoNCE loss %.4f (an untrained model sits near ln %d = %.4f)%n",
                    loss, pairs, Math.log(pairs));
        }
        return 0;
    }
}
