package dev.align.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The TurboJPEG path (the system's SIMD libjpeg-turbo) gives exactly the pixels of the ImageIO and
 * OpenCV paths at full size, the same reduced pixels as OpenCV's {@code IMREAD_REDUCED_COLOR_f}
 * (both libjpeg's scaled IDCT), and leaves what it cannot decode cleanly to them: truncated and
 * corrupt JPEGs end in the decoder's {@link ImageDecodeException}, as before.
 */
class TurboJpegCodecTest {

    @BeforeAll
    static void needsTurboJpeg() {
        assumeTrue(TurboJpegCodec.available(), "TurboJPEG is not installed here (Debian: "
                + "apt-get install libturbojpeg-java libturbojpeg0-dev)");
    }

    static BufferedImage photo(int type, int w, int h, long seed) {
        BufferedImage img = new BufferedImage(w, h, type);
        Random r = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int base = (x * 7 + y * 3) & 0xFF;                 // smooth, with noise
                int v = Math.min(255, Math.max(0, base + r.nextInt(41) - 20));
                img.setRGB(x, y, v << 16 | ((v * 3 + y) & 0xFF) << 8 | ((255 - v + x) & 0xFF));
            }
        }
        return img;
    }

    static byte[] jpeg(BufferedImage img, boolean progressive) throws IOException {
        return NativeImageCodecTest.encode(img, "jpeg", progressive);
    }

    private static byte[] pixels(RgbImage image) {
        return Arrays.copyOf(image.rgb, 3 * image.width * image.height);
    }

    private static void assertSameAsImageIo(byte[] encoded) throws Exception {
        ImageSize size = NativeImageCodec.headerSize(encoded);
        assertNotNull(size);
        RgbImage turbo = TurboJpegCodec.decode(encoded, size, 1);
        assertNotNull(turbo);
        RgbImage imageIo = RgbImage.of(ImageIO.read(new ByteArrayInputStream(encoded)),
                ImageDecoder.WHITE);
        assertEquals(imageIo.width, turbo.width);
        assertEquals(imageIo.height, turbo.height);
        assertArrayEquals(imageIo.rgb, pixels(turbo));
        assertEquals(TurboJpegCodec.available() ? "TurboJPEG" : "?", ImageDecoder.jpegDecoder());
    }

    @Test
    void decodesBaselineProgressiveAndGreyJpegsToImageIosPixels() throws Exception {
        assertSameAsImageIo(jpeg(photo(BufferedImage.TYPE_INT_RGB, 61, 47, 1), false));
        assertSameAsImageIo(jpeg(photo(BufferedImage.TYPE_INT_RGB, 40, 77, 2), true));
        assertSameAsImageIo(jpeg(photo(BufferedImage.TYPE_BYTE_GRAY, 33, 20, 3), false));
    }

    @Test
    void reducedDecodingEqualsOpenCvsAndHasLibjpegsScaledSize() throws Exception {
        assumeTrue(NativeImageCodec.available(), "OpenCV is not on the class path here");
        for (boolean progressive : new boolean[] {false, true}) {
            byte[] encoded = jpeg(photo(BufferedImage.TYPE_INT_RGB, 203, 130, 4), progressive);
            ImageSize size = NativeImageCodec.headerSize(encoded);
            for (int f : new int[] {1, 2, 4, 8}) {
                byte[] turbo = pixels(TurboJpegCodec.decode(encoded, size, f));
                RgbImage cv = NativeImageCodec.decode(encoded, f, ImageDecoder.WHITE);
                assertEquals(TurboJpegCodec.scaled(203, f), cv.width, "1/" + f);
                assertEquals(TurboJpegCodec.scaled(130, f), cv.height, "1/" + f);
                assertArrayEquals(pixels(cv), turbo, "1/" + f + " progressive " + progressive);
                RgbImage viaDecoder = new ImageDecoder().decodeRgb(encoded, s -> f);
                assertEquals(f, viaDecoder.reduction);
                assertEquals(203, viaDecoder.fullWidth);
                assertEquals(130, viaDecoder.fullHeight);
            }
        }
        assertEquals(26, TurboJpegCodec.scaled(203, 8));          // ceil, as libjpeg
    }

    /**
     * A truncated stream has no end-of-image marker, so no native decoder sees it; a corrupt
     * header or scan makes TurboJPEG throw, and the image goes to the next decoder, which rejects
     * it: the documented {@code CORRUPT} error either way, reduced or not.
     */
    @Test
    void truncatedAndCorruptJpegsAreRejectedAsCorrupt() throws Exception {
        byte[] good = jpeg(photo(BufferedImage.TYPE_INT_RGB, 64, 64, 5), false);
        byte[] cut = Arrays.copyOf(good, good.length / 2);
        byte[] badHeader = good.clone();
        // the first frame header's precision byte (8 in a baseline JPEG) made nonsense
        int sof = indexOfMarker(good, 0xC0);
        badHeader[sof + 4] = 3;
        assertNotNull(NativeImageCodec.headerSize(badHeader), "still has a size and an EOI marker");
        assertNull(TurboJpegCodec.decode(badHeader, NativeImageCodec.headerSize(badHeader), 1),
                "TurboJPEG declines it");
        for (byte[] bad : new byte[][] {cut, badHeader}) {
            for (int f : new int[] {1, 2}) {
                ImageDecodeException e = assertThrows(ImageDecodeException.class,
                        () -> new ImageDecoder().decodeRgb(bad, s -> f));
                assertEquals(ImageDecodeException.Kind.CORRUPT, e.kind(), e.getMessage());
            }
        }
        // an error leaves libjpeg's per-thread handle mid-stream; the next image must not see it
        assertSameAsImageIo(good);
    }

    @Test
    void theReductionIsCheckedAndThePixelLimitHolds() throws Exception {
        byte[] encoded = jpeg(photo(BufferedImage.TYPE_INT_RGB, 50, 40, 6), false);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> new ImageDecoder().decodeRgb(encoded, s -> 3));
        assertTrue(bad.getMessage().contains("got 3"), bad.getMessage());
        ImageDecodeException big = assertThrows(ImageDecodeException.class,
                () -> new ImageDecoder(1999, ImageDecoder.WHITE).decodeRgb(encoded, s -> 8));
        assertEquals(ImageDecodeException.Kind.TOO_LARGE, big.kind());
    }

    static int indexOfMarker(byte[] b, int marker) {
        for (int i = 2; i + 1 < b.length; i++) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == marker) {
                return i;
            }
        }
        throw new AssertionError("no marker " + Integer.toHexString(marker));
    }
}
