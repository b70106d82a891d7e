package dev.align.data.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;

/**
 * An opaque 8-bit RGB image as packed bytes, {@code rgb[3 (y w + x) + c]}: what the resampler
 * reads. Made from a decoded {@link BufferedImage} without going through Java2D's per-pixel colour
 * conversion ({@code getRGB} costs tens of nanoseconds a pixel) for the layouts ImageIO produces
 * for JPEG and PNG: interleaved 8-bit grey, grey+alpha, RGB and RGBA, and packed int RGB. Their
 * samples are taken as they are, as Pillow does (no colour management), transparency composited
 * onto the background. Anything else goes through {@link ImageDecoder#toOpaqueRgb}.
 */
final class RgbImage {

    final int width;
    final int height;
    final byte[] rgb;
    /** The size the encoded image has; {@code width x height} unless decoded reduced. */
    final int fullWidth;
    final int fullHeight;
    /**
     * 1, or {@code f} when a JPEG was decoded at scale {@code 1/f} in the DCT domain:
     * {@code width = ceil(fullWidth / f)}, {@code height = ceil(fullHeight / f)}.
     */
    final int reduction;

    RgbImage(int width, int height, byte[] rgb) {
        this(width, height, rgb, width, height, 1);
    }

    RgbImage(int width, int height, byte[] rgb, int fullWidth, int fullHeight, int reduction) {
        this.width = width;
        this.height = height;
        this.rgb = rgb;
        this.fullWidth = fullWidth;
        this.fullHeight = fullHeight;
        this.reduction = reduction;
    }

    /** The image's pixels, transparency composited onto {@code backgroundRgb}. */
    static RgbImage of(BufferedImage image, int backgroundRgb) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[3 * w * h];
        Raster raster = image.getRaster();
        if (raster.getMinX() == 0 && raster.getMinY() == 0 && raster.getSampleModelTranslateX() == 0
                && raster.getSampleModelTranslateY() == 0) {
            if (image.getType() == BufferedImage.TYPE_INT_RGB
                    && raster.getDataBuffer() instanceof DataBufferInt ints
                    && ints.getNumBanks() == 1 && ints.getOffset() == 0
                    && raster.getSampleModel().getWidth() == w) {
                int[] src = ints.getData();
                for (int i = 0, n = w * h; i < n; i++) {
                    int p = src[i];
                    out[3 * i] = (byte) (p >>> 16);
                    out[3 * i + 1] = (byte) (p >>> 8);
                    out[3 * i + 2] = (byte) p;
                }
                return new RgbImage(w, h, out);
            }
            if (interleavedBytes(image, raster, out, backgroundRgb)) {
                return new RgbImage(w, h, out);
            }
        }
        BufferedImage opaque = image.getType() == BufferedImage.TYPE_INT_RGB ? image
                : ImageDecoder.toOpaqueRgb(image, backgroundRgb);
        int[] px = opaque.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < px.length; i++) {
            out[3 * i] = (byte) (px[i] >>> 16);
            out[3 * i + 1] = (byte) (px[i] >>> 8);
            out[3 * i + 2] = (byte) px[i];
        }
        return new RgbImage(w, h, out);
    }

    /** Reads 8-bit interleaved grey, grey+alpha, RGB or RGBA samples directly; false otherwise. */
    private static boolean interleavedBytes(BufferedImage image, Raster raster, byte[] out,
            int bg) {
        ColorModel cm = image.getColorModel();
        if (!(cm instanceof ComponentColorModel) || cm.isAlphaPremultiplied()
                || !(raster.getDataBuffer() instanceof DataBufferByte bytes)
                || bytes.getNumBanks() != 1
                || !(raster.getSampleModel() instanceof ComponentSampleModel sm)
                || sm.getDataType() != DataBuffer.TYPE_BYTE) {
            return false;
        }
        int space = cm.getColorSpace().getType();
        int colours = space == ColorSpace.TYPE_RGB ? 3 : space == ColorSpace.TYPE_GRAY ? 1 : 0;
        int bands = sm.getNumBands();
        if (colours == 0 || bands != colours + (cm.hasAlpha() ? 1 : 0)) {
            return false;
        }
        for (int b = 0; b < bands; b++) {
            if (cm.getComponentSize(b) != 8 || sm.getBankIndices()[b] != 0) {
                return false;
            }
        }
        int[] off = sm.getBandOffsets();
        int pixelStride = sm.getPixelStride();
        int rowStride = sm.getScanlineStride();
        int base = bytes.getOffset();
        byte[] src = bytes.getData();
        int w = image.getWidth();
        int h = image.getHeight();
        int r = off[0];
        int g = colours == 3 ? off[1] : off[0];
        int b = colours == 3 ? off[2] : off[0];
        int a = cm.hasAlpha() ? off[colours] : -1;
        int bgR = (bg >>> 16) & 0xFF;
        int bgG = (bg >>> 8) & 0xFF;
        int bgB = bg & 0xFF;
        int o = 0;
        for (int y = 0; y < h; y++) {
            int p = base + y * rowStride;
            for (int x = 0; x < w; x++, p += pixelStride, o += 3) {
                int vr = src[p + r] & 0xFF;
                int vg = src[p + g] & 0xFF;
                int vb = src[p + b] & 0xFF;
                if (a >= 0) {
                    int alpha = src[p + a] & 0xFF;
                    if (alpha != 255) {                    // as ImageDecoder.toOpaqueRgb
                        vr = (vr * alpha + bgR * (255 - alpha) + 127) / 255;
                        vg = (vg * alpha + bgG * (255 - alpha) + 127) / 255;
                        vb = (vb * alpha + bgB * (255 - alpha) + 127) / 255;
                    }
                }
                out[o] = (byte) vr;
                out[o + 1] = (byte) vg;
                out[o + 2] = (byte) vb;
            }
        }
        return true;
    }

    /** This image as a {@link BufferedImage#TYPE_INT_RGB} image. */
    BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] dst = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < dst.length; i++) {
            dst[i] = (rgb[3 * i] & 0xFF) << 16 | (rgb[3 * i + 1] & 0xFF) << 8 | (rgb[3 * i + 2] & 0xFF);
        }
        return img;
    }
}
