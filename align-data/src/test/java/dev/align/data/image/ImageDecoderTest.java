package dev.align.data.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out));
        return out.toByteArray();
    }

    @Test
    void compositesTransparencyOntoTheBackground() throws IOException {
        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x80FF0000); // half-transparent red
        argb.setRGB(1, 0, 0x00123456); // fully transparent
        byte[] png = encode(argb, "png");
        BufferedImage white = new ImageDecoder().decode(png);
        assertEquals(BufferedImage.TYPE_INT_RGB, white.getType());
        // (255*128 + 255*127 + 127) / 255 = 255; (0*128 + 255*127 + 127) / 255 = 127
        assertEquals(0xFF7F7F, white.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0xFFFFFF, white.getRGB(1, 0) & 0xFFFFFF);
        BufferedImage black = new ImageDecoder(100, 0x000000).decode(png);
        assertEquals(0x800000, black.getRGB(0, 0) & 0xFFFFFF); // (255*128 + 127) / 255 = 128
        assertEquals(0x000000, black.getRGB(1, 0) & 0xFFFFFF);
    }

    @Test
    void copiesGreyLevelsWithoutGammaConversion() throws IOException {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 100);
        grey.getRaster().setSample(1, 0, 0, 200);
        BufferedImage rgb = new ImageDecoder().decode(encode(grey, "png"));
        assertEquals(0x646464, rgb.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0xC8C8C8, rgb.getRGB(1, 0) & 0xFFFFFF);
    }

    @Test
    void readsTheSizeFromTheHeaderAndRejectsBombs() throws IOException {
        byte[] png = encode(new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB), "png");
        assertEquals(new ImageSize(4, 3), new ImageDecoder().readSize(png));
        ImageDecodeException e = assertThrows(ImageDecodeException.class,
                () -> new ImageDecoder(11, ImageDecoder.WHITE).decode(png));
        assertEquals(ImageDecodeException.Kind.TOO_LARGE, e.kind());
        assertTrue(e.getMessage().contains("4x3 = 12"), e.getMessage());
    }

    @Test
    void subsampledDecodingKeepsEveryFthPixelAndStillRejectsBombs() throws IOException {
        BufferedImage img = new BufferedImage(1000, 12, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 1000; x++) {
            for (int y = 0; y < 12; y++) {
                img.setRGB(x, y, x % 5 == 0 ? 0xFF0000 : 0x0000FF);
            }
        }
        byte[] png = encode(img, "png");
        // maxSide 100: f = floor(1000 / 200) = 5, so columns 0, 5, 10, ... (all red) and rows
        // 0, 5, 10 remain.
        BufferedImage small = new ImageDecoder().decodeSubsampled(png, 100);
        assertEquals(200, small.getWidth());
        assertEquals(3, small.getHeight());
        for (int x = 0; x < 200; x++) {
            assertEquals(0xFF0000, small.getRGB(x, 1) & 0xFFFFFF);
        }
        assertEquals(1000, new ImageDecoder().decodeSubsampled(png, 600).getWidth(), "f = 1");
        ImageDecodeException e = assertThrows(ImageDecodeException.class,
                () -> new ImageDecoder(11_999, ImageDecoder.WHITE).decodeSubsampled(png, 10));
        assertEquals(ImageDecodeException.Kind.TOO_LARGE, e.kind());
    }

    @Test
    void rejectsTruncatedAndUnknownImagesAsCorrupt() throws IOException {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 64 * 64; i++) {
            img.setRGB(i % 64, i / 64, i * 2654435761L > 0 ? (int) (i * 40503L) : 0);
        }
        byte[] jpeg = encode(img, "jpg");
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2);
        assertEquals(ImageDecodeException.Kind.CORRUPT, assertThrows(ImageDecodeException.class,
                () -> new ImageDecoder().decode(cut)).kind());
        assertEquals(ImageDecodeException.Kind.CORRUPT, assertThrows(ImageDecodeException.class,
                () -> new ImageDecoder().decode(new byte[] {1, 2, 3})).kind());
        byte[] webp = "RIFF\0\0\0\0WEBPVP8 ".getBytes("ISO-8859-1");
        assertEquals(ImageDecodeException.Kind.UNSUPPORTED, assertThrows(
                ImageDecodeException.class, () -> new ImageDecoder().decode(webp)).kind());
    }
}
