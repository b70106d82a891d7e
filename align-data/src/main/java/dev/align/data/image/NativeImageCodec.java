package dev.align.data.image;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.slf4j.LoggerFactory;

/**
 * JPEG and PNG decoding through OpenCV's bundled libjpeg-turbo and libpng
 * ({@code org.openpnp:opencv}, an optional dependency: without it on the class path, or with
 * {@code -Dalign.image.native=false}, ImageIO decodes everything). It takes only what it decodes
 * exactly as Pillow does and hands everything else back to ImageIO ({@code null}):
 *
 * <ul>
 *   <li>baseline and progressive JPEGs whose data ends with an end-of-image marker (a truncated
 *       one is left to ImageIO, which rejects it, as Pillow does), decoded without applying EXIF
 *       orientation (Pillow's {@code Image.open} does not either);
 *   <li>8-bit PNGs of any colour type that end with their {@code IEND} chunk (a truncated one
 *       is left to ImageIO, which rejects it); transparency is composited onto the background as
 *       {@link ImageDecoder} does. 16-bit and 1/2/4-bit PNGs go to ImageIO;
 *   <li>an image OpenCV cannot decode goes to ImageIO too, whose exception names the problem.
 * </ul>
 *
 * The header's size is checked against the pixel limit before anything is decoded.
 */
final class NativeImageCodec {

    private static final boolean AVAILABLE = load();

    /** Per-thread buffers [raw samples, RGB]: decoded images are megabytes, reused per thread. */
    private static final ThreadLocal<byte[][]> SCRATCH = ThreadLocal.withInitial(() -> new byte[2][0]);

    private NativeImageCodec() {}

    /** Per-thread buffer {@code which} (0 raw samples, 1 RGB) of at least {@code n} bytes. */
    private static byte[] scratch(int which, int n) {
        byte[][] holder = SCRATCH.get();
        if (holder[which].length < n) {
            // a multiple of 12: OpenCV's Mat.get wants a whole number of 1- to 4-channel pixels
            holder[which] = new byte[(Math.max(n, holder[which].length * 5 / 4) + 11) / 12 * 12];
        }
        return holder[which];
    }

    private static boolean load() {
        if (!Boolean.parseBoolean(System.getProperty("align.image.native", "true"))) {
            return false;
        }
        try {
            Class.forName("org.opencv.imgcodecs.Imgcodecs", false,
                    NativeImageCodec.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return false;                                     // not on the class path: ImageIO
        }
        try {
            OpenCv.load();
            return true;
        } catch (RuntimeException | LinkageError e) {
            LoggerFactory.getLogger(NativeImageCodec.class).warn("OpenCV is on the class path "
                    + "but its native library did not load ({}); decoding images with ImageIO",
                    e.toString());
            return false;
        }
    }

    /** Whether native decoding is in use in this JVM. */
    static boolean available() {
        return AVAILABLE;
    }

    /** The size a JPEG or PNG header claims, or {@code null} for anything this codec does not take. */
    static ImageSize headerSize(byte[] b) {
        if (isPng(b)) {
            // IHDR: width, height, bit depth, colour type, compression, filter, interlace
            int depth = b[24] & 0xFF;
            int w = int32(b, 16);
            int h = int32(b, 20);
            // a size of 0 or over 2^31 - 1 is left to ImageIO, whose exception names it, and so
            // is a PNG cut short (libpng would print "PNG input buffer is incomplete" on stderr)
            return depth == 8 && w > 0 && h > 0 && endsWithIend(b) ? new ImageSize(w, h) : null;
        }
        if (isJpeg(b) && endsWithEoi(b)) {
            return jpegSize(b);
        }
        return null;
    }

    /**
     * Decodes a JPEG or PNG that {@link #headerSize} accepted into packed RGB, or {@code null} when
     * OpenCV cannot (the caller then decodes with ImageIO). Only call when {@link #available}.
     * The pixels live in a per-thread buffer: valid until this thread decodes the next image.
     */
    static RgbImage decode(byte[] encoded, int backgroundRgb) {
        return OpenCv.decode(encoded, isPng(encoded), 1, backgroundRgb);
    }

    /**
     * As {@link #decode(byte[], int)}, a JPEG at scale {@code 1 / factor} (libjpeg's DCT-domain
     * scaling, {@code IMREAD_REDUCED_COLOR_f}: {@code ceil(W / f) x ceil(H / f)}); PNGs are always
     * decoded whole.
     *
     * @param factor 1, 2, 4 or 8
     */
    static RgbImage decode(byte[] encoded, int factor, int backgroundRgb) {
        boolean png = isPng(encoded);
        return OpenCv.decode(encoded, png, png ? 1 : factor, backgroundRgb);
    }

    /** Whether the bytes start as a JPEG does. */
    static boolean jpeg(byte[] encoded) {
        return isJpeg(encoded);
    }

    /** The only code that touches OpenCV's classes: loaded on first use, never without them. */
    private static final class OpenCv {

        private OpenCv() {}

        static RgbImage decode(byte[] encoded, boolean png, int factor, int backgroundRgb) {
            int colour = switch (factor) {
                case 1 -> Imgcodecs.IMREAD_COLOR;
                case 2 -> Imgcodecs.IMREAD_REDUCED_COLOR_2;
                case 4 -> Imgcodecs.IMREAD_REDUCED_COLOR_4;
                case 8 -> Imgcodecs.IMREAD_REDUCED_COLOR_8;
                default -> throw new IllegalArgumentException("reduction must be 1, 2, 4 or 8, got "
                        + factor);
            };
            int flags = png ? Imgcodecs.IMREAD_UNCHANGED
                    : colour | Imgcodecs.IMREAD_IGNORE_ORIENTATION;
            MatOfByte buffer = new MatOfByte(encoded);
            Mat mat = Imgcodecs.imdecode(buffer, flags);
            try {
                if (mat.empty() || mat.depth() != CvType.CV_8U || !mat.isContinuous()) {
                    return null;
                }
                int w = mat.cols();
                int h = mat.rows();
                int channels = mat.channels();
                byte[] raw = scratch(channels == 3 ? 1 : 0, w * h * channels);
                mat.get(0, 0, raw);
                return new RgbImage(w, h, toRgb(raw, w * h, channels, backgroundRgb));
            } finally {
                mat.release();
                buffer.release();
            }
        }

        static void load() {
            nu.pattern.OpenCV.loadLocally();
        }
    }

    /** Grey, grey+alpha, BGR or BGRA samples to RGB, alpha composited as ImageDecoder does. */
    private static byte[] toRgb(byte[] raw, int pixels, int channels, int bg) {
        byte[] out = channels == 3 ? raw : scratch(1, 3 * pixels);
        int bgR = (bg >>> 16) & 0xFF;
        int bgG = (bg >>> 8) & 0xFF;
        int bgB = bg & 0xFF;
        for (int i = 0; i < pixels; i++) {
            int p = i * channels;
            int r;
            int g;
            int b;
            int a = 255;
            if (channels <= 2) {
                r = raw[p] & 0xFF;
                g = r;
                b = r;
                if (channels == 2) {
                    a = raw[p + 1] & 0xFF;
                }
            } else {
                b = raw[p] & 0xFF;
                g = raw[p + 1] & 0xFF;
                r = raw[p + 2] & 0xFF;
                if (channels == 4) {
                    a = raw[p + 3] & 0xFF;
                }
            }
            if (a != 255) {
                r = (r * a + bgR * (255 - a) + 127) / 255;
                g = (g * a + bgG * (255 - a) + 127) / 255;
                b = (b * a + bgB * (255 - a) + 127) / 255;
            }
            out[3 * i] = (byte) r;
            out[3 * i + 1] = (byte) g;
            out[3 * i + 2] = (byte) b;
        }
        return out;
    }

    private static boolean isPng(byte[] b) {
        return b.length > 29 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
                && b[12] == 'I' && b[13] == 'H' && b[14] == 'D' && b[15] == 'R';
    }

    private static boolean isJpeg(byte[] b) {
        return b.length > 4 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8;
    }

    /** A PNG's {@code IEND} chunk type among the last bytes (its CRC follows it). */
    private static boolean endsWithIend(byte[] b) {
        for (int i = b.length - 8; i >= Math.max(33, b.length - 64); i--) {
            if (b[i] == 'I' && b[i + 1] == 'E' && b[i + 2] == 'N' && b[i + 3] == 'D') {
                return true;
            }
        }
        return false;
    }

    /** An end-of-image marker among the last bytes (encoders may pad after it). */
    private static boolean endsWithEoi(byte[] b) {
        for (int i = b.length - 2; i >= Math.max(2, b.length - 64); i--) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xD9) {
                return true;
            }
        }
        return false;
    }

    /** Width and height from the first start-of-frame marker, or {@code null}. */
    private static ImageSize jpegSize(byte[] b) {
        int p = 2;
        while (p + 9 < b.length) {
            if ((b[p] & 0xFF) != 0xFF) {
                return null;
            }
            int marker = b[p + 1] & 0xFF;
            if (marker == 0xFF) {                            // fill byte
                p++;
                continue;
            }
            int length = ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8
                    && marker != 0xCC;
            if (sof) {
                int h = ((b[p + 5] & 0xFF) << 8) | (b[p + 6] & 0xFF);
                int w = ((b[p + 7] & 0xFF) << 8) | (b[p + 8] & 0xFF);
                return w > 0 && h > 0 ? new ImageSize(w, h) : null;
            }
            if (marker == 0xDA || length < 2) {
                return null;                                  // scan before any frame header
            }
            p += 2 + length;
        }
        return null;
    }

    private static int int32(byte[] b, int p) {
        return (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
    }
}
