package dev.align.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageTransformTest {

    private static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    private static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

    /** torchvision's ToTensor + Normalize in float32. */
    private static float norm(int v, int c) {
        return (v / 255f - MEAN[c]) / STD[c];
    }

    private static BufferedImage image(int w, int h, int... rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, w, h, rgb, 0, w);
        return img;
    }

    private static float[] expectedChw(int[] rgb) {
        int n = rgb.length;
        float[] out = new float[3 * n];
        for (int i = 0; i < n; i++) {
            out[i] = norm((rgb[i] >> 16) & 0xFF, 0);
            out[n + i] = norm((rgb[i] >> 8) & 0xFF, 1);
            out[2 * n + i] = norm(rgb[i] & 0xFF, 2);
        }
        return out;
    }

    @Test
    void normalisesWithOpenAiStatisticsBitForBit() {
        ImageTransform t = ImageTransform.builder(1).build();
        float[] dst = new float[3];
        t.apply(image(1, 1, 0xFF0080), 0, dst, 0);
        assertEquals((1f - 0.48145466f) / 0.26862954f, dst[0]);
        assertEquals((0f - 0.4578275f) / 0.26130258f, dst[1]);
        assertEquals((128 / 255f - 0.40821073f) / 0.27577711f, dst[2]);
        // The same float32 values as numpy: (np.float32([255, 0]) / 255 - mean) / std.
        assertEquals(1.9303361f, dst[0]);
        assertEquals(-1.7520971f, dst[1]);
    }

    @Test
    void identityAtTheSameSizeIsExactAndWritesAtTheOffsetOnly() {
        int[] px = {0x000000, 0x102030, 0xFFFFFF, 0x7F8081};
        ImageTransform t = ImageTransform.builder(2).build();
        float[] batch = new float[3 * 4 * 3];
        Arrays.fill(batch, 9f);
        t.apply(image(2, 2, px), 0, batch, 12); // the second of three images
        float[] expected = expectedChw(px);
        assertArrayEquals(expected, Arrays.copyOfRange(batch, 12, 24));
        for (int i = 0; i < 12; i++) {
            assertEquals(9f, batch[i]);
            assertEquals(9f, batch[24 + i]);
        }
    }

    @Test
    void downscalesTwoByTwoToOnePixelByExactAveraging() {
        ImageTransform t = ImageTransform.builder(1).build();
        float[] dst = new float[3];
        t.apply(image(2, 2, 0x0A141E, 0x1E2832, 0x323C46, 0x46505B), 0, dst, 0);
        // (10+30+50+70)/4 = 40, (20+40+60+80)/4 = 50, (30+50+70+91+2)/4 = 60 (rounded)
        assertArrayEquals(expectedChw(new int[] {0x28323C}), dst);
    }

    @Test
    void goldenResizeThenCentreCrop() {
        // 8x4 -> shorter side 2 gives 4x2, made by exact 2x2 box halving; centre crop 2x2 starts
        // at x = round((4 - 2) / 2) = 1.
        int[] px = new int[32];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 8; x++) {
                int v = 8 * y + x;
                px[y * 8 + x] = (4 * v) << 16 | (255 - 4 * v) << 8 | (v * 7 % 256);
            }
        }
        int[] halved = new int[8];
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 4; x++) {
                int rgb = 0;
                for (int shift = 16; shift >= 0; shift -= 8) {
                    int sum = 0;
                    for (int dy = 0; dy < 2; dy++) {
                        for (int dx = 0; dx < 2; dx++) {
                            sum += (px[(2 * y + dy) * 8 + 2 * x + dx] >> shift) & 0xFF;
                        }
                    }
                    rgb |= ((sum + 2) / 4) << shift;
                }
                halved[y * 4 + x] = rgb;
            }
        }
        int[] crop = {halved[1], halved[2], halved[5], halved[6]};
        float[] dst = new float[12];
        ImageTransform.builder(2).build().apply(image(8, 4, px), 0, dst, 0);
        assertArrayEquals(expectedChw(crop), dst);
        // The first value by hand: pixels (2,0),(3,0),(2,1),(3,1) have red 8, 12, 40, 44 -> 26.
        assertEquals(norm(26, 0), dst[0]);
    }

    @Test
    void resizesTheShorterSideLikeTorchvision() {
        assertEquals(2, ImageTransform.resizeShorterSide(image(4, 2, new int[8]), 1).getWidth());
        BufferedImage tall = ImageTransform.resizeShorterSide(new BufferedImage(3, 7,
                BufferedImage.TYPE_INT_RGB), 2);
        assertEquals(2, tall.getWidth());
        assertEquals(4, tall.getHeight()); // floor(2 * 7 / 3)
    }

    @Test
    void centreCropRoundsHalfToEvenLikePython() {
        assertEquals(new CropBox(0, 0, 1, 1), ImageTransform.centerCropBox(2, 2, 1)); // 0.5 -> 0
        assertEquals(new CropBox(2, 1, 1, 1), ImageTransform.centerCropBox(4, 3, 1)); // 1.5 -> 2
        assertEquals(new CropBox(1, 0, 3, 3), ImageTransform.centerCropBox(5, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> ImageTransform.centerCropBox(2, 2, 3));
    }

    @Test
    void strongDownscaleOfAFlatImageStaysFlat() {
        int[] px = new int[97 * 61];
        Arrays.fill(px, 0x336699);
        float[] dst = new float[3 * 7 * 7];
        ImageTransform.builder(7).build().apply(image(97, 61, px), 0, dst, 0);
        for (int i = 0; i < 49; i++) {
            assertEquals(norm(0x33, 0), dst[i]);
            assertEquals(norm(0x66, 1), dst[49 + i]);
            assertEquals(norm(0x99, 2), dst[98 + i]);
        }
    }

    @Test
    void randomResizedCropIsSeededAndWithinItsRanges() {
        for (long seed = 0; seed < 200; seed++) {
            CropBox a = ImageTransform.randomResizedCropBox(100, 80, 0.9, 1.0, 0.75, 4 / 3.0,
                    new Random(seed));
            assertEquals(a, ImageTransform.randomResizedCropBox(100, 80, 0.9, 1.0, 0.75,
                    4 / 3.0, new Random(seed)));
            assertTrue(a.x() + a.width() <= 100 && a.y() + a.height() <= 80, a.toString());
            double area = a.width() * (double) a.height() / 8000;
            assertTrue(area > 0.87 && area <= 1.0, a + " area " + area);
        }
        assertEquals(new CropBox(0, 0, 5, 5), ImageTransform.randomResizedCropBox(5, 5, 1, 1, 1,
                1, new Random(1)));
        // Impossible ratio: falls back to the ratio-clamped centre crop.
        assertEquals(new CropBox(0, 35, 10, 30), ImageTransform.randomResizedCropBox(10, 100,
                0.99, 1, 1 / 3.0, 1 / 3.0, new Random(1)));
    }

    @Test
    void randomCropDependsOnTheSampleSeed() {
        int[] px = new int[40 * 30];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i * 2654435761L % 0xFFFFFF) > 0 ? (int) (i * 2654435761L % 0xFFFFFF) : 0;
        }
        ImageTransform t = ImageTransform.builder(8)
                .optCrop(ImageTransform.Crop.RANDOM_RESIZED).optScale(0.3, 0.5).build();
        float[] a = new float[192];
        float[] b = new float[192];
        float[] c = new float[192];
        t.apply(image(40, 30, px), 11, a, 0);
        t.apply(image(40, 30, px), 11, b, 0);
        t.apply(image(40, 30, px), 12, c, 0);
        assertArrayEquals(a, b);
        assertNotEquals(Arrays.toString(a), Arrays.toString(c));
    }

    @Test
    void customNormalisationAndBadSettingsAreChecked() {
        ImageTransform t = ImageTransform.builder(1)
                .optNormalization(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f})
                .build();
        float[] dst = new float[3];
        t.apply(image(1, 1, 0xFF0000), 0, dst, 0);
        assertArrayEquals(new float[] {1f, -1f, -1f}, dst);
        assertThrows(IllegalArgumentException.class, () -> ImageTransform.builder(0));
        assertThrows(IllegalArgumentException.class, () -> ImageTransform.builder(2)
                .optNormalization(new float[3], new float[] {1, 0, 1}));
        assertThrows(IllegalArgumentException.class, () -> ImageTransform.builder(2)
                .optScale(0.5, 1.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.apply(image(1, 1, 0), 0, new float[5], 3));
        assertTrue(e.getMessage().contains("offset 3"), e.getMessage());
    }
}
