package dev.align.curation.dfn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.align.data.text.BpeTokenizer;
import dev.align.models.clip.ClipModel;
import dev.align.models.config.Activation;
import dev.align.models.config.ClipConfig;
import dev.align.models.config.TextConfig;
import dev.align.models.config.TextPool;
import dev.align.models.io.ModelBundle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/** A micro model folder with a trained BPE tokenizer, and random PNG images, for DFN tests. */
public final class DfnFixtures {

    private DfnFixtures() {}

    /** The test preset with a 600-id, 16-token text tower. */
    public static ClipConfig config() {
        return ClipConfig.test().withText(new TextConfig(16, 600, 32, 2, 4, 4.0, Activation.GELU,
                true, TextPool.ARGMAX, 0));
    }

    /** Captions over a small vocabulary of colours and shapes. */
    public static List<String> captions(int n, long seed) {
        String[] colours = {"red", "green", "blue", "yellow", "black", "white", "purple"};
        String[] shapes = {"disc", "square", "cross", "triangle", "star", "ring"};
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("a " + colours[r.nextInt(colours.length)] + " " + shapes[r.nextInt(shapes.length)]
                    + " in the " + (r.nextBoolean() ? "top" : "bottom") + " corner");
        }
        return out;
    }

    /** Writes a randomly initialised model and its tokenizer into {@code dir}. */
    public static Path modelFolder(Path dir, long seed) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(config(), manager, DataType.FLOAT32, seed);
            ModelBundle.write(dir, model, null, null);
        }
        BpeTokenizer.train(captions(300, 1), 600, 16).save(dir.resolve(ModelBundle.TOKENIZER));
        return dir;
    }

    /** A PNG of random pixels. */
    public static byte[] png(int width, int height, long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
