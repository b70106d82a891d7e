package dev.align.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    /** The formula tools/make_pil_golden.py draws its images with. */
    private static RgbImage drawn(int w, int h, int seed) {
        byte[] rgb = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = 3 * (y * w + x);
                rgb[i] = (byte) ((x * 37 + y * 11 + seed * 53) % 256);
                rgb[i + 1] = (byte) ((x * x * 3 + y * 29 + seed * 7) % 256);
                rgb[i + 2] = (byte) (((x ^ y) * 19 + seed * 101) % 256);
            }
        }
        return new RgbImage(w, h, rgb);
    }

    private static byte[] bytes(JsonNode array) {
        byte[] out = new byte[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) array.get(i).asInt();
        }
        return out;
    }

    /**
     * Pillow's own output (golden/pil_transform.json, written by tools/make_pil_golden.py with
     * Pillow 9.4 and torchvision 0.14): bicubic resizes that shrink by non-integer and large
     * factors, enlarge, or change one side only; OpenCLIP's eval transform (Resize + CenterCrop);
     * torchvision's resized_crop (the training crop). Every byte must match.
     */
    @Test
    void resizesAndCropsByteForByteAsPillowAndTorchvision() throws Exception {
        JsonNode golden = new ObjectMapper().readTree(
                getClass().getResourceAsStream("/golden/pil_transform.json"));
        int checked = 0;
        for (JsonNode c : golden.get("cases")) {
            RgbImage src = drawn(c.get("width").asInt(), c.get("height").asInt(), c.get("seed").asInt());
            byte[] expected = bytes(c.get("rgb"));
            String label = c.toString().substring(0, 80);
            switch (c.get("kind").asText()) {
                case "resize" -> {
                    int tw = c.get("outWidth").asInt();
                    int th = c.get("outHeight").asInt();
                    assertArrayEquals(expected, PillowBicubic.resizeCropped(src, 0, 0, src.width,
                            src.height, tw, th, 0, 0, tw, th), label);
                    BufferedImage viaPublic = ImageTransform.resize(src.toBufferedImage(), tw, th);
                    assertArrayEquals(expected, RgbImage.of(viaPublic, 0).rgb, label);
                }
                case "center" -> {
                    int size = c.get("size").asInt();
                    ImageTransform t = ImageTransform.builder(size).optNormalization(
                            new float[] {0, 0, 0}, new float[] {1, 1, 1}).build();
                    float[] dst = new float[3 * size * size];
                    t.apply(src.toBufferedImage(), 0, dst, 0);
                    byte[] actual = new byte[expected.length];
                    for (int i = 0; i < size * size; i++) {
                        for (int ch = 0; ch < 3; ch++) {
                            actual[3 * i + ch] = (byte) Math.round(dst[ch * size * size + i] * 255);
                        }
                    }
                    assertArrayEquals(expected, actual, label);
                }
                case "crop" -> {
                    JsonNode box = c.get("box");
                    int size = c.get("size").asInt();
                    assertArrayEquals(expected, PillowBicubic.resizeCropped(src, box.get(0).asInt(),
                            box.get(1).asInt(), box.get(2).asInt(), box.get(3).asInt(), size, size,
                            0, 0, size, size), label);
                }
                default -> throw new AssertionError(c.get("kind"));
            }
            checked++;
        }
        assertEquals(12, checked);
    }

    @Test
    void aCropOfTheResizeEqualsTheSameRegionOfTheFullResize() {
        RgbImage src = drawn(53, 37, 4);
        byte[] full = PillowBicubic.resizeCropped(src, 0, 0, 53, 37, 31, 22, 0, 0, 31, 22);
        byte[] part = PillowBicubic.resizeCropped(src, 0, 0, 53, 37, 31, 22, 5, 3, 20, 17);
        for (int y = 0; y < 17; y++) {
            assertArrayEquals(Arrays.copyOfRange(full, 3 * ((y + 3) * 31 + 5), 3 * ((y + 3) * 31 + 25)),
                    Arrays.copyOfRange(part, 3 * y * 20, 3 * (y + 1) * 20), "row " + y);
        }
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
