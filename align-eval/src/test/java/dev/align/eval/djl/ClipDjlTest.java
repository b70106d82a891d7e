package dev.align.eval.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import dev.align.eval.embed.ClipEmbedder;
import dev.align.eval.embed.TinyModelFolder;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipDjlTest {

    @TempDir
    Path dir;

    private static BufferedImage picture(int w, int h, Color c) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        g.setColor(c);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.fillRect(w / 3, h / 4, w / 4, h / 2);
        g.dispose();
        return img;
    }

    @Test
    void predictorsGiveTheEmbeddersVectors() throws Exception {
        Path folder = TinyModelFolder.write(dir.resolve("m"), 9, true);
        BufferedImage a = picture(50, 40, Color.ORANGE);
        BufferedImage b = picture(33, 61, Color.CYAN);
        List<String> texts = List.of("a photo of a red disc.", "itap of the blue cross");
        try (ClipEmbedder clip = ClipEmbedder.open(folder);
                Model imageModel = ClipDjl.load(folder, ClipTowerBlock.Tower.IMAGE, null);
                Model textModel = ClipDjl.load(folder, ClipTowerBlock.Tower.TEXT, null);
                Predictor<Image, float[]> images = imageModel.newPredictor(
                        new ClipImageTranslator(ClipDjl.imageSize(imageModel)));
                Predictor<String, float[]> textPredictor = textModel.newPredictor(
                        new ClipTextTranslator(clip.tokenizer()))) {
            ImageFactory factory = ImageFactory.getInstance();
            assertArrayEquals(clip.encodeImage(a), images.predict(factory.fromImage(a)), 1e-6f);
            List<float[]> batch = images.batchPredict(List.of(factory.fromImage(a), factory.fromImage(b)));
            assertEquals(2, batch.size());
            assertArrayEquals(clip.encodeImage(b), batch.get(1), 1e-6f);
            List<float[]> tb = textPredictor.batchPredict(texts);
            float[][] ref = clip.encodeTexts(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(ref[i], tb.get(i), 1e-6f);
            }
            try (Model wrapped = ClipDjl.wrap(clip.model(), ClipTowerBlock.Tower.TEXT);
                    Predictor<String, float[]> p = wrapped.newPredictor(
                            new ClipTextTranslator(clip.tokenizer()))) {
                assertArrayEquals(ref[0], p.predict(texts.get(0)), 1e-6f);
            }
        }
    }
}
