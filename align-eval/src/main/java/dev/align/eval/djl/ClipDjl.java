package dev.align.eval.djl;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import dev.align.models.clip.ClipModel;
import dev.align.models.io.ModelBundle;
import java.io.IOException;
import java.nio.file.Path;

/**
 * align models as DJL {@link Model}s, for DJL users:
 *
 * <pre>{@code
 * try (Model model = ClipDjl.load(Path.of("runs/demo/model"), ClipTowerBlock.Tower.IMAGE, Device.cpu());
 *      Predictor<Image, float[]> predictor = model.newPredictor(
 *              new ClipImageTranslator(ClipDjl.imageSize(model)))) {
 *     float[] embedding = predictor.predict(ImageFactory.getInstance().fromFile(path));
 * }
 * }</pre>
 */
public final class ClipDjl {

    private ClipDjl() {}

    /**
     * Loads a model folder as a DJL model running one tower; the weights live in (and are freed
     * with) the returned model.
     *
     * @param device where the weights and inputs live, or {@code null} for the default device
     */
    public static Model load(Path modelDir, ClipTowerBlock.Tower tower, Device device)
            throws IOException {
        Model model = Model.newInstance("clip-" + tower.name().toLowerCase(java.util.Locale.ROOT),
                device);
        try {
            ClipModel clip;
            try (ModelBundle bundle = ModelBundle.read(modelDir)) {
                clip = bundle.loadModel(model.getNDManager(), DataType.FLOAT32);
            }
            model.setBlock(new ClipTowerBlock(clip, tower));
            return model;
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Wraps a model already in memory (its weights stay owned by their manager; closing the DJL
     * model does not free them). The DJL model is created on the weights' device.
     */
    public static Model wrap(ClipModel clip, ClipTowerBlock.Tower tower) {
        Device device = clip.logitScale().getArray().getDevice();
        Model model = Model.newInstance("clip-" + tower.name().toLowerCase(java.util.Locale.ROOT),
                device);
        model.setBlock(new ClipTowerBlock(clip, tower));
        return model;
    }

    /** The image size {@code S} a model's image tower expects. */
    public static int imageSize(Model model) {
        return ((ClipTowerBlock) model.getBlock()).model().config().vision().imageSize();
    }
}
