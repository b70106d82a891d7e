package dev.align.data.image;

import static dev.align.core.Checks.checkArgument;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.ToIntFunction;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes encoded images (whatever ImageIO reads: JPEG, PNG, GIF, BMP; WebP only with a plugin
 * such as TwelveMonkeys on the class path) into opaque 8-bit sRGB images of type
 * {@link BufferedImage#TYPE_INT_RGB}, the equivalent of Pillow's {@code Image.open(f)} followed by
 * {@code convert("RGB")} in OpenCLIP, with two deliberate differences:
 *
 * <ul>
 *   <li>transparent pixels are composited onto a background colour (default white) instead of
 *       having their alpha dropped, which would turn transparent areas into whatever colour the
 *       encoder stored there (often black);
 *   <li>grey images are expanded by copying the grey level into R, G and B, like Pillow's
 *       {@code "L" -> "RGB"}. Java2D's own conversion would treat the grey as linear and
 *       gamma-encode it, brightening every mid-tone.
 * </ul>
 *
 * <p>Before any pixel is decoded the header is read ({@link ImageReader#getWidth}) and images of
 * more than {@code maxPixels} pixels are rejected, as Pillow's {@code DecompressionBombError} does
 * above {@code 2 * MAX_IMAGE_PIXELS = 178,956,970} pixels. A JPEG whose data ends early (ImageIO
 * only warns and returns grey rows) is rejected as corrupt, as Pillow does by default. Thread-safe:
 * each call uses its own ImageIO reader, and nothing is cached on disk.
 */
public final class ImageDecoder {

    /** Pillow's decompression-bomb error threshold, {@code 2 * 89,478,485} pixels. */
    public static final long DEFAULT_MAX_PIXELS = 178_956_970L;

    /** Opaque white, {@code 0xRRGGBB}. */
    public static final int WHITE = 0xFFFFFF;

    private final long maxPixels;
    private final int backgroundRgb;

    /**
     * @param maxPixels images whose header claims more pixels are rejected as
     *     {@link ImageDecodeException.Kind#TOO_LARGE}; must be {@code > 0}
     * @param backgroundRgb {@code 0xRRGGBB} colour under transparent pixels
     */
    public ImageDecoder(long maxPixels, int backgroundRgb) {
        checkArgument(maxPixels > 0, "maxPixels must be > 0, got %s", maxPixels);
        checkArgument((backgroundRgb & 0xFF000000) == 0,
                "backgroundRgb must be 0xRRGGBB, got 0x%s", Integer.toHexString(backgroundRgb));
        this.maxPixels = maxPixels;
        this.backgroundRgb = backgroundRgb;
    }

    /** A decoder with Pillow's pixel limit and a white background. */
    public ImageDecoder() {
        this(DEFAULT_MAX_PIXELS, WHITE);
    }

    /** The pixel limit. */
    public long maxPixels() {
        return maxPixels;
    }

    /**
     * Reads only the header: the size the image claims, checked against the pixel limit.
     *
     * @throws ImageDecodeException if no reader knows the format, the header is unreadable, or the
     *     image is larger than the limit
     */
    public ImageSize readSize(byte[] encoded) throws ImageDecodeException {
        return withReader(encoded, (reader, warnings) -> checkedSize(reader));
    }

    /**
     * Decodes an image into an opaque {@link BufferedImage#TYPE_INT_RGB} image, compositing
     * transparency onto the background and expanding grey to RGB.
     *
     * @throws ImageDecodeException if the format is unknown, the image is larger than the limit,
     *     or its data is corrupt or truncated
     */
    public BufferedImage decode(byte[] encoded) throws ImageDecodeException {
        return toOpaqueRgb(decodeAsIs(encoded), backgroundRgb);
    }

    /**
     * As {@link #decode}, into packed RGB bytes (the transform's input): JPEGs through the
     * system's libjpeg-turbo when its Java binding is installed ({@link TurboJpegCodec}), else
     * through OpenCV's libjpeg-turbo and libpng when they are on the class path and take the image
     * ({@link NativeImageCodec}), else ImageIO. The result may live in a per-thread buffer: use
     * it before this thread decodes another image.
     */
    RgbImage decodeRgb(byte[] encoded) throws ImageDecodeException {
        return decodeRgb(encoded, size -> 1);
    }

    /**
     * As {@link #decodeRgb(byte[])}, a JPEG possibly at a reduced scale: {@code jpegReduction}
     * gets the header's size and answers 1, 2, 4 or 8; a JPEG that TurboJPEG or OpenCV decodes is
     * then decoded at scale {@code 1/f} in the DCT domain ({@link RgbImage#reduction}). PNGs, and
     * JPEGs that fall back to ImageIO, are decoded whole (reduction 1).
     */
    RgbImage decodeRgb(byte[] encoded, ToIntFunction<ImageSize> jpegReduction)
            throws ImageDecodeException {
        checkArgument(encoded != null, "encoded image is null");
        boolean turbo = TurboJpegCodec.available();
        boolean opencv = NativeImageCodec.available();
        if (turbo || opencv) {
            ImageSize size = NativeImageCodec.headerSize(encoded);
            if (size != null) {
                checkLimit(size);
                boolean jpeg = NativeImageCodec.jpeg(encoded);
                int factor = jpeg ? jpegReduction.applyAsInt(size) : 1;
                checkArgument(factor == 1 || factor == 2 || factor == 4 || factor == 8,
                        "JPEG reduction must be 1, 2, 4 or 8, got %s", factor);
                RgbImage image = jpeg && turbo ? TurboJpegCodec.decode(encoded, size, factor) : null;
                if (image == null && opencv) {
                    image = NativeImageCodec.decode(encoded, factor, backgroundRgb);
                }
                if (image != null && image.width == TurboJpegCodec.scaled(size.width(), factor)
                        && image.height == TurboJpegCodec.scaled(size.height(), factor)) {
                    return new RgbImage(image.width, image.height, image.rgb, size.width(),
                            size.height(), factor);
                }
            }
        }
        return RgbImage.of(decodeAsIs(encoded), backgroundRgb);
    }

    /**
     * Which decoder takes JPEGs in this JVM: {@code "TurboJPEG"} (the system's SIMD
     * libjpeg-turbo), {@code "OpenCV"} (its bundled libjpeg-turbo, without SIMD) or
     * {@code "ImageIO"}.
     */
    public static String jpegDecoder() {
        return TurboJpegCodec.available() ? "TurboJPEG"
                : NativeImageCodec.available() ? "OpenCV" : "ImageIO";
    }

    /** Whether JPEG and PNG images are decoded natively (OpenCV) in this JVM. */
    public static boolean nativeDecoding() {
        return NativeImageCodec.available();
    }

    /** The image as ImageIO decodes it, after the size and corruption checks. */
    private BufferedImage decodeAsIs(byte[] encoded) throws ImageDecodeException {
        return withReader(encoded, (reader, warnings) ->
                read(reader, reader.getDefaultReadParam(), checkedSize(reader), warnings));
    }

    /**
     * Decodes a possibly huge image at a reduced size: the reader keeps every {@code f}-th pixel
     * of every {@code f}-th row, {@code f = max(1, floor(longer side / (2 maxSide)))}, so memory
     * is that of the reduced image and its longer side stays at least {@code 2 maxSide} (room for
     * an exact box downscale afterwards, see {@link ImageTransform#resize}). The pixel limit is
     * checked against the header first, as in {@link #decode(byte[])}; pass a decoder with a
     * higher limit for trusted sources with very large drawings.
     *
     * @param maxSide the longer side the caller will resize to, {@code >= 1}
     * @throws ImageDecodeException if the format is unknown, the image is larger than the limit,
     *     or its data is corrupt or truncated
     */
    public BufferedImage decodeSubsampled(byte[] encoded, int maxSide) throws ImageDecodeException {
        checkArgument(maxSide >= 1, "maxSide must be >= 1, got %s", maxSide);
        return withReader(encoded, (reader, warnings) -> {
            ImageSize size = checkedSize(reader);
            int factor = (int) Math.max(1,
                    Math.max(size.width(), size.height()) / (2L * maxSide));
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceSubsampling(factor, factor, 0, 0);
            return toOpaqueRgb(read(reader, param, size, warnings), backgroundRgb);
        });
    }

    /**
     * Converts any image to an opaque {@link BufferedImage#TYPE_INT_RGB} one: transparency is
     * composited onto {@code backgroundRgb} with {@code c' = (c a + bg (255 - a) + 127) / 255}
     * per channel, grey levels are copied to R, G and B (samples wider than 8 bits are rounded to
     * 8), everything else goes through the colour model to 8-bit sRGB.
     */
    public static BufferedImage toOpaqueRgb(BufferedImage src, int backgroundRgb) {
        int w = src.getWidth();
        int h = src.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        ColorModel cm = src.getColorModel();
        boolean grey = cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && !(cm instanceof IndexColorModel) && !cm.isAlphaPremultiplied();
        if (grey) {
            Raster raster = src.getRaster();
            int bands = raster.getNumBands();
            int[] row = new int[w * bands];
            int greyMax = (1 << cm.getComponentSize(0)) - 1;
            int alphaMax = cm.hasAlpha() ? (1 << cm.getComponentSize(1)) - 1 : 1;
            for (int y = 0; y < h; y++) {
                raster.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    int v = to8Bits(row[x * bands], greyMax);
                    int a = cm.hasAlpha() ? to8Bits(row[x * bands + 1], alphaMax) : 255;
                    dst[y * w + x] = composite((a << 24) | (v << 16) | (v << 8) | v, backgroundRgb);
                }
            }
        } else {
            src.getRGB(0, 0, w, h, dst, 0, w);
            if (cm.hasAlpha()) {
                for (int i = 0; i < dst.length; i++) {
                    dst[i] = composite(dst[i], backgroundRgb);
                }
            }
        }
        return out;
    }

    private static int to8Bits(int v, int max) {
        return max == 255 ? v : (v * 255 + max / 2) / max;
    }

    /** Non-premultiplied ARGB over an opaque background, rounded to nearest. */
    private static int composite(int argb, int bg) {
        int a = argb >>> 24;
        if (a == 255) {
            return argb & 0xFFFFFF;
        }
        int rgb = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            int c = (argb >>> shift) & 0xFF;
            int b = (bg >>> shift) & 0xFF;
            rgb |= ((c * a + b * (255 - a) + 127) / 255) << shift;
        }
        return rgb;
    }

    private ImageSize checkedSize(ImageReader reader) throws ImageDecodeException {
        int w;
        int h;
        try {
            w = reader.getWidth(0);
            h = reader.getHeight(0);
        } catch (IOException | RuntimeException e) {
            throw new ImageDecodeException(ImageDecodeException.Kind.CORRUPT,
                    "unreadable " + formatName(reader) + " header: " + e, e);
        }
        if (w <= 0 || h <= 0) {
            throw new ImageDecodeException(ImageDecodeException.Kind.CORRUPT,
                    "header claims an empty image " + w + "x" + h, null);
        }
        ImageSize size = new ImageSize(w, h);
        checkLimit(size);
        return size;
    }

    private void checkLimit(ImageSize size) throws ImageDecodeException {
        if (size.pixels() > maxPixels) {
            throw new ImageDecodeException(ImageDecodeException.Kind.TOO_LARGE,
                    "header claims " + size.width() + "x" + size.height() + " = " + size.pixels()
                            + " pixels, above the limit of " + maxPixels, null);
        }
    }

    /** RIFF container with a WEBP form type. */
    private static boolean isWebp(byte[] b) {
        return b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
                && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P';
    }

    /**
     * Reads the first image with {@code param}; a decoder error or warning (a truncated or
     * corrupt file) is {@code CORRUPT}, naming the header's size and the format.
     */
    private static BufferedImage read(ImageReader reader, ImageReadParam param, ImageSize size,
            List<String> warnings) throws ImageDecodeException {
        BufferedImage image;
        try {
            image = reader.read(0, param);
        } catch (IOException | RuntimeException e) {
            throw new ImageDecodeException(ImageDecodeException.Kind.CORRUPT,
                    "cannot decode " + size.width() + "x" + size.height() + " "
                            + formatName(reader) + ": " + e, e);
        }
        if (!warnings.isEmpty()) {
            throw new ImageDecodeException(ImageDecodeException.Kind.CORRUPT,
                    "decoder warned: " + String.join("; ", warnings), null);
        }
        return image;
    }

    private static String formatName(ImageReader reader) {
        try {
            return reader.getFormatName();
        } catch (IOException e) {
            return "image";
        }
    }

    private interface ReaderTask<T> {
        T run(ImageReader reader, List<String> warnings) throws ImageDecodeException;
    }

    private static <T> T withReader(byte[] encoded, ReaderTask<T> task)
            throws ImageDecodeException {
        checkArgument(encoded != null, "encoded image is null");
        // A memory-cached stream: ImageIO.createImageInputStream would spill to temp files.
        try (ImageInputStream in = new MemoryCacheImageInputStream(
                new ByteArrayInputStream(encoded))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                if (isWebp(encoded)) {
                    throw new ImageDecodeException(ImageDecodeException.Kind.UNSUPPORTED,
                            "WebP image, but no ImageIO WebP reader is on the class path (add "
                                    + "one, e.g. TwelveMonkeys imageio-webp)", null);
                }
                throw new ImageDecodeException(ImageDecodeException.Kind.CORRUPT,
                        "no ImageIO reader recognises these " + encoded.length + " bytes", null);
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            try {
                reader.setInput(in, true, true);
                return task.run(reader, warnings);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            if (e instanceof ImageDecodeException ide) {
                throw ide;
            }
            throw new ImageDecodeException(ImageDecodeException.Kind.CORRUPT,
                    "cannot read image: " + e, e);
        }
    }
}
