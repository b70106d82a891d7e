package dev.align.eval.djl;

import static dev.align.core.Checks.checkArgument;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import dev.align.data.image.ImageTransform;
import java.awt.image.BufferedImage;

/**
 * DJL translator from an {@link Image} to its L2-normalised embedding, for a model whose block is
 * an image {@link ClipTowerBlock}. Preprocessing is OpenCLIP's evaluation transform (bicubic
 * shorter-side resize, centre crop, OpenAI mean/std) as {@link ImageTransform} does it, so a
 * {@code Predictor} gives the same vectors as {@link dev.align.eval.embed.ClipEmbedder}.
 * Batches stack to {@code [B, 3, S, S]}.
 */
public final class ClipImageTranslator implements Translator<Image, float[]> {

    private final ImageTransform transform;

    /** A translator to {@code imageSize x imageSize} inputs with the default eval transform. */
    public ClipImageTranslator(int imageSize) {
        this(ImageTransform.builder(imageSize).build());
    }

    /** A translator with a given (usually centre-crop) transform. */
    public ClipImageTranslator(ImageTransform transform) {
        checkArgument(transform != null, "transform is null");
        this.transform = transform;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Image input) {
        int s = transform.imageSize();
        float[] px = new float[3 * s * s];
        transform.apply(toBufferedImage(input), 0, px, 0);
        return new NDList(ctx.getNDManager().create(px, new Shape(3, s, s)));   // [3, S, S]
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        NDArray e = list.singletonOrThrow();                                    // [E]
        return e.getDataType() == DataType.FLOAT32 ? e.toFloatArray()
                : e.toType(DataType.FLOAT32, false).toFloatArray();
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }

    /** The AWT image behind a DJL image, or its pixels copied into one. */
    static BufferedImage toBufferedImage(Image image) {
        checkArgument(image != null, "image is null");
        if (image.getWrappedImage() instanceof BufferedImage b) {
            return b;
        }
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            NDArray hwc = image.toNDArray(m, Image.Flag.COLOR);                // [H, W, 3] uint8
            int h = (int) hwc.getShape().get(0);
            int w = (int) hwc.getShape().get(1);
            byte[] px = hwc.toByteArray();
            BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int i = 0; i < w * h; i++) {
                int rgb = (px[3 * i] & 0xFF) << 16 | (px[3 * i + 1] & 0xFF) << 8 | (px[3 * i + 2] & 0xFF);
                out.setRGB(i % w, i / w, rgb);
            }
            return out;
        }
    }
}
