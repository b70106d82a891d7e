package dev.align.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * {@link ImageTransform.Mode#FAST} against {@link ImageTransform.Mode#EXACT}, the parity the
 * reduced-JPEG path is held to: identical wherever it does not reduce (small JPEGs, PNGs,
 * decoded images), close where it does, the same geometry (a shifted or stretched crop would show
 * as a large difference on a gradient), and the same errors for bad input.
 */
class FastModeTest {

    private static final int S = 32;

    private static ImageTransform transform(ImageTransform.Mode mode, ImageTransform.Crop crop) {
        // random boxes of 30-60 % of the area (OpenCLIP's 90-100 % does not fit 4:3 boxes here)
        return ImageTransform.builder(S).optMode(mode).optCrop(crop).optScale(0.3, 0.6).build();
    }

    /** A smooth photograph-like image: gradients, a soft disc, mild noise. */
    private static BufferedImage scene(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        java.util.Random r = new java.util.Random(7);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = Math.hypot(x - w * 0.4, y - h * 0.6) / Math.min(w, h);
                int red = (int) (255.0 * x / w);
                int green = (int) (255.0 * y / h);
                int blue = (int) Math.max(0, Math.min(255, 255 * (1 - 2 * d) + r.nextInt(7) - 3));
                img.setRGB(x, y, red << 16 | green << 8 | blue);
            }
        }
        return img;
    }

    private static byte[] encode(BufferedImage img, String format) throws Exception {
        if (format.equals("jpeg")) {
            return TurboJpegCodecTest.jpeg(img, false);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out));
        return out.toByteArray();
    }

    private static float[] run(ImageTransform t, byte[] encoded, long seed) throws Exception {
        float[] dst = new float[3 * S * S];
        t.apply(encoded, seed, dst, 0);
        return dst;
    }

    /** Mean and max absolute difference in 8-bit levels (the normalised values times 255 std). */
    private static double[] levels(float[] a, float[] b) {
        double sum = 0;
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs(a[i] - b[i]) * ImageTransform.OPENAI_STD[i / (S * S)] * 255;
            sum += d;
            max = Math.max(max, d);
        }
        return new double[] {sum / a.length, max};
    }

    @Test
    void reducesByTheLargestPowerOfTwoThatKeepsTheResampledRegionAtLeastTheOutput() {
        ImageTransform center = ImageTransform.builder(224).optMode(ImageTransform.Mode.FAST).build();
        assertEquals(1, center.jpegReduction(new ImageSize(447, 600), 0));
        assertEquals(2, center.jpegReduction(new ImageSize(448, 600), 0));
        assertEquals(2, center.jpegReduction(new ImageSize(741, 500), 0));
        assertEquals(4, center.jpegReduction(new ImageSize(1411, 1411), 0));
        assertEquals(8, center.jpegReduction(new ImageSize(1792, 4000), 0));
        assertEquals(4, center.jpegReduction(new ImageSize(896, 1000), 0));
        assertEquals(4, center.jpegReduction(new ImageSize(1000, 3000), 0)); // 224 x 672 from it
        ImageTransform random = ImageTransform.builder(224).optMode(ImageTransform.Mode.FAST)
                .optCrop(ImageTransform.Crop.RANDOM_RESIZED).build();
        for (long seed = 0; seed < 50; seed++) {
            CropBox box = ImageTransform.randomResizedCropBox(1000, 900, 0.9, 1.0, 0.75, 4 / 3.0,
                    new java.util.Random(seed));
            int f = random.jpegReduction(new ImageSize(1000, 900), seed);
            assertTrue(f * 224 <= Math.min(box.width(), box.height())
                    && (f == 8 || 2 * f * 224 > Math.min(box.width(), box.height())), box + " " + f);
        }
    }

    @Test
    void whereNothingIsReducedFastIsExact() throws Exception {
        BufferedImage small = scene(60, 45);                 // shorter side < 2 S: no reduction
        BufferedImage large = scene(203, 130);
        for (ImageTransform.Crop crop : ImageTransform.Crop.values()) {
            ImageTransform exact = transform(ImageTransform.Mode.EXACT, crop);
            ImageTransform fast = transform(ImageTransform.Mode.FAST, crop);
            byte[] jpeg = encode(small, "jpeg");
            byte[] png = encode(large, "png");
            assertArrayEquals(run(exact, jpeg, 3), run(fast, jpeg, 3), crop + " small JPEG");
            assertArrayEquals(run(exact, png, 3), run(fast, png, 3), crop + " PNG");
            float[] a = new float[3 * S * S];
            float[] b = new float[3 * S * S];
            exact.apply(large, 3, a, 0);
            fast.apply(large, 3, b, 0);
            assertArrayEquals(a, b, crop + " decoded image");
        }
    }

    /**
     * A 203 x 130 JPEG to 32 px: the centre crop resamples 50 x 32 from it, so it is decoded at
     * 1/4 (51 x 33) and resampled from there; the random boxes (about 100 x 70) at 1/2.
     * Measured with libjpeg-turbo 2.1: mean 0.42, max 3 levels (centre), mean ~0.4-0.6, max 2-4
     * (random); the tolerance leaves room for other libjpeg builds.
     */
    @Test
    void reducedJpegsStayCloseToExactWithTheSameGeometry() throws Exception {
        assumeTrue(TurboJpegCodec.available() || NativeImageCodec.available(),
                "no native JPEG decoder here: nothing is reduced");
        byte[] jpeg = encode(scene(203, 130), "jpeg");
        assertEquals(4, transform(ImageTransform.Mode.FAST, ImageTransform.Crop.CENTER)
                .jpegReduction(new ImageSize(203, 130), 0));
        for (ImageTransform.Crop crop : ImageTransform.Crop.values()) {
            for (long seed = 0; seed < 5; seed++) {
                float[] exact = run(transform(ImageTransform.Mode.EXACT, crop), jpeg, seed);
                float[] fast = run(transform(ImageTransform.Mode.FAST, crop), jpeg, seed);
                double[] d = levels(exact, fast);

                assertNotEquals(0.0, d[1], crop + ": reduced, so not bit-identical");
                assertTrue(d[0] < 1.0 && d[1] < 8, crop + " seed " + seed + ": mean "
                        + d[0] + " max " + d[1] + " levels");
                assertArrayEquals(fast, run(transform(ImageTransform.Mode.FAST, crop), jpeg,
                        seed), "deterministic");
            }
        }
    }

    @Test
    void badJpegsGiveTheSameErrorInBothModes() throws Exception {
        byte[] good = encode(scene(203, 130), "jpeg");
        byte[] cut = Arrays.copyOf(good, good.length / 2);
        byte[] badHeader = good.clone();
        badHeader[TurboJpegCodecTest.indexOfMarker(good, 0xC0) + 4] = 3;   // precision 3
        byte[] noise = new byte[500];
        noise[0] = (byte) 0xFF;
        noise[1] = (byte) 0xD8;
        for (byte[] bad : new byte[][] {cut, badHeader, noise}) {
            for (ImageTransform.Mode mode : ImageTransform.Mode.values()) {
                ImageDecodeException e = assertThrows(ImageDecodeException.class,
                        () -> run(transform(mode, ImageTransform.Crop.CENTER), bad, 0));
                assertEquals(ImageDecodeException.Kind.CORRUPT, e.kind(), mode + " " + e.getMessage());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ImageTransform.builder(S).optMode(null));
        assertEquals(ImageTransform.Mode.EXACT, ImageTransform.builder(S).build().mode());
    }
}
