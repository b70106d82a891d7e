package dev.align.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.align.models.clip.ClipModel;
import dev.align.models.config.ClipConfig;
import dev.align.models.io.ModelBundle;
import dev.align.models.io.OpenClipWeights;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * {@code --preset NAME}, {@code --config FILE} or {@code --model DIR} (a trained model folder,
 * read as a {@link ModelBundle}): where a model comes from.
 */
final class ModelSource {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Choice choice;

    static final class Choice {
        @Option(names = "--preset", paramLabel = "NAME",
                description = "A named model: ViT-B-32, ViT-B-16, ViT-L-14 (optionally with "
                        + "-quickgelu), tiny, small, test.")
        String preset;

        @Option(names = "--config", paramLabel = "FILE",
                description = "A model config JSON file (strict: unknown keys are rejected).")
        Path config;

        @Option(names = "--model", paramLabel = "DIR",
                description = "A model folder written by ./align train (model.json + "
                        + "model.safetensors); brings its weights too.")
        Path model;
    }

    /** The model folder, or null when a preset or config was given. */
    Path modelDir() {
        return choice.model;
    }

    ClipConfig resolve() throws IOException {
        if (choice.model != null) {
            try (ModelBundle bundle = ModelBundle.read(choice.model)) {
                return bundle.config();
            }
        }
        return ClipConfig.resolve(choice.preset, choice.config);
    }

    /** The model with its weights: the folder's, or {@code weights} for a preset or config. */
    ClipModel load(NDManager manager, Path weights) throws IOException {
        if (choice.model != null) {
            try (ModelBundle bundle = ModelBundle.read(choice.model)) {
                return bundle.loadModel(manager, DataType.FLOAT32);
            }
        }
        ClipModel model = ClipModel.create(resolve(), manager, DataType.FLOAT32, 0);
        OpenClipWeights.load(model, weights);
        return model;
    }
}
