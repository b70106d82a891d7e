package dev.align.examples;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import dev.align.eval.djl.ClipDjl;
import dev.align.eval.djl.ClipImageTranslator;
import dev.align.eval.djl.ClipTextTranslator;
import dev.align.eval.djl.ClipTowerBlock.Tower;
import dev.align.models.io.ModelBundle;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Embeddings served through DJL's {@link Predictor}: each tower of a model folder as a DJL
 * {@link Model}, with align's translators (OpenCLIP's eval transform for images, the model's
 * tokenizer for texts), so the model plugs into DJL Serving or any code written against DJL's
 * inference API.
 *
 * <pre>
 * examples/run ServeWithPredictor runs/demo/model cat.jpg "a cat" "a dog"
 * </pre>
 *
 * <p>Prints the embedding of the image (its size and first values) and, per text, the cosine
 * similarity to the image: {@code "a cat": cosine 0.281}.
 */
public final class ServeWithPredictor {

    private ServeWithPredictor() {}

    /**
     * Runs the example.
     *
     * @param args the model folder, an image, then texts
     * @throws Exception if a file cannot be read or a prediction fails
     */
    public static void main(String[] args) throws Exception {
        Path modelDir = Path.of(args[0]);
        List<String> texts = Arrays.asList(args).subList(2, args.length);
        try (ModelBundle bundle = ModelBundle.read(modelDir);           // config + tokenizer
             Model imageTower = ClipDjl.load(modelDir, Tower.IMAGE, Device.cpu());
             Model textTower = ClipDjl.load(modelDir, Tower.TEXT, Device.cpu());
             Predictor<Image, float[]> images = imageTower.newPredictor(
                     new ClipImageTranslator(ClipDjl.imageSize(imageTower)));
             Predictor<String, float[]> captions = textTower.newPredictor(
                     new ClipTextTranslator(bundle.tokenizer()))) {
            Image image = ImageFactory.getInstance().fromFile(Path.of(args[1]));
            float[] embedding = images.predict(image);                  // [E], unit length
            System.out.printf(Locale.ROOT, "image embedding: %d values, starting %.4f %.4f %.4f%n",
                    embedding.length, embedding[0], embedding[1], embedding[2]);
            List<float[]> encoded = captions.batchPredict(texts);       // one batch
            for (int i = 0; i < texts.size(); i++) {
                double cosine = 0;
                for (int k = 0; k < embedding.length; k++) {
                    cosine += embedding[k] * encoded.get(i)[k];
                }
                System.out.printf(Locale.ROOT, "\"%s\": cosine %.3f%n", texts.get(i), cosine);
            }
        }
    }
}
