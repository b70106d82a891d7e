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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native (OpenCV) decoding path gives exactly the pixels of the ImageIO path for JPEG (baseline,
 * progressive, grey) and PNG (RGB, RGBA, grey, grey+alpha, palette), and keeps the decoder's rules:
 * the pixel limit, truncated JPEGs rejected, anything else left to ImageIO.
 */
class NativeImageCodecTest {

    @BeforeAll
    static void needsOpenCv() {
        assumeTrue(NativeImageCodec.available(), "OpenCV is not on the class path here");
    }

    private static BufferedImage photo(int type, int w, int h, long seed) {
        BufferedImage img = new BufferedImage(w, h, type);
        Random r = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int base = (x * 7 + y * 3) & 0xFF;                 // smooth, with noise
                int v = Math.min(255, Math.max(0, base + r.nextInt(41) - 20));
                int alpha = type == BufferedImage.TYPE_INT_ARGB ? (x * 255 / (w - 1)) : 255;
                img.setRGB(x, y, alpha << 24 | v << 16 | ((v * 3 + y) & 0xFF) << 8 | ((255 - v + x) & 0xFF));
            }
        }
        return img;
    }

    /** {@code img} as {@code format} through ImageIO (JPEG at quality 0.9, optionally progressive). */
    static byte[] encode(BufferedImage img, String format, boolean progressive)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        if (format.equals("jpeg")) {
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
        }
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static void assertSamePixels(byte[] encoded) throws Exception {
        assertNotNull(NativeImageCodec.headerSize(encoded), "the native path takes it");
        RgbImage viaNative = NativeImageCodec.decode(encoded, ImageDecoder.WHITE);
        RgbImage viaImageIo = RgbImage.of(ImageIO.read(new ByteArrayInputStream(encoded)),
                ImageDecoder.WHITE);
        assertNotNull(viaNative);
        assertEquals(viaImageIo.width, viaNative.width);
        assertEquals(viaImageIo.height, viaNative.height);
        // the native pixels live in a per-thread buffer that may be longer than the image
        assertArrayEquals(viaImageIo.rgb, Arrays.copyOf(viaNative.rgb, 3 * viaNative.width
                * viaNative.height));
    }

    @Test
    void jpegsDecodeToTheSamePixelsAsImageIo() throws Exception {
        assertSamePixels(encode(photo(BufferedImage.TYPE_INT_RGB, 61, 47, 1), "jpeg", false));
        assertSamePixels(encode(photo(BufferedImage.TYPE_INT_RGB, 40, 77, 2), "jpeg", true));
        assertSamePixels(encode(photo(BufferedImage.TYPE_BYTE_GRAY, 33, 20, 3), "jpeg", false));
    }

    @Test
    void pngsOfEveryColourTypeDecodeToTheSamePixelsWithAlphaOverWhite() throws Exception {
        assertSamePixels(encode(photo(BufferedImage.TYPE_INT_RGB, 31, 17, 4), "png", false));
        assertSamePixels(encode(photo(BufferedImage.TYPE_INT_ARGB, 31, 17, 5), "png", false));
        assertSamePixels(encode(photo(BufferedImage.TYPE_BYTE_GRAY, 12, 9, 6), "png", false));
        assertSamePixels(encode(photo(BufferedImage.TYPE_BYTE_INDEXED, 12, 9, 7), "png", false));
        BufferedImage greyAlpha = new BufferedImage(
                new java.awt.image.ComponentColorModel(java.awt.color.ColorSpace.getInstance(
                        java.awt.color.ColorSpace.CS_GRAY), true, false,
                        java.awt.Transparency.TRANSLUCENT, java.awt.image.DataBuffer.TYPE_BYTE),
                java.awt.image.Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE,
                        6, 5, 2, null), false, null);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 6; x++) {
                greyAlpha.getRaster().setPixel(x, y, new int[] {x * 40, y * 60});
            }
        }
        assertSamePixels(encode(greyAlpha, "png", false));
    }

    @Test
    void aTruncatedJpegIsLeftToImageIoAndRejected() throws Exception {
        byte[] jpeg = encode(photo(BufferedImage.TYPE_INT_RGB, 64, 64, 8), "jpeg", false);
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2);
        assertNull(NativeImageCodec.headerSize(cut), "no end-of-image marker");
        ImageDecodeException e = assertThrows(ImageDecodeException.class,
                () -> new ImageDecoder().decodeRgb(cut));
        assertEquals(ImageDecodeException.Kind.CORRUPT, e.kind());
    }

    /** As for JPEG; libpng would also print "PNG input buffer is incomplete" on stderr. */
    @Test
    void aTruncatedPngIsLeftToImageIoAndRejected() throws Exception {
        byte[] png = encode(photo(BufferedImage.TYPE_INT_RGB, 64, 64, 11), "png", false);
        assertNotNull(NativeImageCodec.headerSize(png));
        byte[] cut = Arrays.copyOf(png, png.length / 2);
        assertNull(NativeImageCodec.headerSize(cut), "no IEND chunk");
        ImageDecodeException e = assertThrows(ImageDecodeException.class,
                () -> new ImageDecoder().decodeRgb(cut));
        assertEquals(ImageDecodeException.Kind.CORRUPT, e.kind());
    }

    @Test
    void thePixelLimitHoldsOnTheNativePath() throws Exception {
        byte[] png = encode(photo(BufferedImage.TYPE_INT_RGB, 50, 40, 9), "png", false);
        ImageDecodeException e = assertThrows(ImageDecodeException.class,
                () -> new ImageDecoder(1999, ImageDecoder.WHITE).decodeRgb(png));
        assertEquals(ImageDecodeException.Kind.TOO_LARGE, e.kind());
        assertTrue(e.getMessage().contains("50x40 = 2000 pixels"), e.getMessage());
        assertEquals(50, new ImageDecoder(2000, ImageDecoder.WHITE).decodeRgb(png).width);
    }

    /**
     * Fuzz finding (3,000-input run): a PNG whose header claims a width of -2 (0xFFFFFFFE) threw
     * IllegalArgumentException ("image size must be positive") out of the native path, which the
     * training data pipeline and the embedder do not catch, instead of the decode exception that
     * skips the sample. The native path now leaves such headers to ImageIO, which rejects them.
     */
    @Test
    void aPngHeaderWithANegativeOrZeroSideIsRejectedAsCorrupt() throws Exception {
        byte[] png = encode(photo(BufferedImage.TYPE_INT_RGB, 9, 9, 10), "png", false);
        for (int side : new int[] {-2, 0, Integer.MIN_VALUE}) {
            byte[] bad = png.clone();
            java.nio.ByteBuffer.wrap(bad, 16, 4).putInt(side);        // IHDR width
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(bad, 12, 17);
            java.nio.ByteBuffer.wrap(bad, 29, 4).putInt((int) crc.getValue());
            assertNull(NativeImageCodec.headerSize(bad), "left to ImageIO");
            assertThrows(ImageDecodeException.class, () -> new ImageDecoder().decodeRgb(bad),
                    "width " + side);
        }
    }
}
