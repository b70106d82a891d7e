package dev.align.models.io;

import static dev.align.core.Checks.checkArgument;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.align.core.io.AtomicFiles;
import dev.align.models.clip.ClipModel;
import dev.align.models.config.ClipConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A trained model as a folder: {@code model.safetensors} (OpenCLIP keys) and {@code model.json}
 * (its {@link ClipConfig}). Every command that takes a model accepts such a folder.
 */
public final class ModelFolder {

    /** The weights file inside a model folder. */
    public static final String WEIGHTS = "model.safetensors";
    /** The config file inside a model folder. */
    public static final String CONFIG = "model.json";

    private ModelFolder() {}

    /** Writes {@code model} into {@code dir} (created if absent), each file atomically. */
    public static void save(ClipModel model, Path dir) throws IOException {
        Files.createDirectories(dir);
        OpenClipWeights.save(model, dir.resolve(WEIGHTS));
        AtomicFiles.write(dir.resolve(CONFIG), model.config().toJson().getBytes(StandardCharsets.UTF_8));
    }

    /** The config stored in a model folder. */
    public static ClipConfig config(Path dir) throws IOException {
        checkArgument(Files.isDirectory(dir), "model folder %s does not exist (expected %s and %s in it)",
                dir, CONFIG, WEIGHTS);
        return ClipConfig.fromJson(dir.resolve(CONFIG));
    }

    /** Loads the model in {@code dir} into {@code manager}. */
    public static ClipModel load(Path dir, NDManager manager, DataType dataType) throws IOException {
        ClipModel model = ClipModel.create(config(dir), manager, dataType, 0);
        OpenClipWeights.load(model, dir.resolve(WEIGHTS));
        return model;
    }
}
