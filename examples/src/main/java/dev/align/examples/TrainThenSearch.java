package dev.align.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.align.core.data.ImageTextBatch;
import dev.align.models.clip.ClipModel;
import dev.align.models.io.ModelBundle;
import dev.align.train.TrainResult;
import dev.align.train.Trainer;
import dev.align.train.config.TrainConfig;
import dev.align.train.data.DataSources;
import dev.align.train.data.SyntheticPairs;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * align as a library in about forty lines: train a tiny dual encoder on the built-in synthetic
 * pairs, load the model folder it writes, and search images by text.
 *
 * <pre>
 * mvn -q install -DskipTests
 * java -cp "examples/target/classes:$(cat align-cli/target/classpath.txt)" \
 *     -Dai.djl.offline=true dev.align.examples.TrainThenSearch
 * </pre>
 */
public final class TrainThenSearch {

    private TrainThenSearch() {}

    /** Trains for 300 steps, then finds the image that best matches a gallery image's caption. */
    public static void main(String[] args) throws Exception {
        TrainConfig cfg = TrainConfig.fromJson("""
                {"schemaVersion": 1, "model": {"preset": "tiny"}, "data": {"kind": "SYNTHETIC"},
                 "loss": {"kind": "INFONCE"}, "optimizer": {"peakLr": 1e-3, "warmupSteps": 30},
                 "globalBatch": 128, "steps": 300, "seed": 1}""");
        Path out = Files.createTempDirectory("align-example");
        TrainResult result;
        try (Trainer trainer = Trainer.open(cfg, DataSources.open(cfg), out, false)) {
            result = trainer.run(System.err);
        }
        try (NDManager manager = NDManager.newBaseManager();
                ModelBundle bundle = ModelBundle.read(result.modelDir())) {
            ClipModel model = bundle.loadModel(manager, DataType.FLOAT32);
            ParameterStore ps = new ParameterStore(manager, false);
            SyntheticPairs gallery = new SyntheticPairs(32, 32, 1000, 42);
            ImageTextBatch images = gallery.next(200);
            NDArray imageEmbeds = model.encodeImage(ps,
                    manager.create(images.pixels(), new Shape(200, 3, 32, 32)), false);  // [200, E]
            long[] caption = java.util.Arrays.copyOfRange(images.tokenIds(), 0, 32); // image 0's
            NDArray query = model.encodeText(ps, manager.create(caption, new Shape(1, 32)), false);
            long best = imageEmbeds.matMul(query.transpose()).argMax(0).getLong(0);          // [1]
            long[] found = java.util.Arrays.copyOfRange(images.tokenIds(), (int) best * 32,
                    (int) best * 32 + 32);
            System.out.printf("query: the caption of %s; best of 200 images: %s, whose caption %s%n",
                    images.keys().get(0), images.keys().get((int) best),
                    java.util.Arrays.equals(found, caption) ? "matches" : "differs");
        }
    }
}
