package dev.align.data.image;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * JPEG decoding through the system's SIMD libjpeg-turbo, by its own Java binding (TurboJPEG,
 * {@code org.libjpegturbo.turbojpeg}; Debian's {@code libturbojpeg-java} and
 * {@code libturbojpeg0-dev}), the same library and settings Pillow decodes with (accurate integer
 * IDCT, fancy upsampling), so the pixels are Pillow's. OpenCV's bundled libjpeg-turbo is built
 * without SIMD and takes about 2.5 times as long for the same pixels.
 *
 * <p>Optional, and found at run time: the binding's classes on the class path, else the jar at
 * {@code -Dalign.image.turbojpeg.jar} (default {@value #DEBIAN_JAR}). Without them, or with
 * {@code -Dalign.image.turbojpeg=false}, JPEGs go to OpenCV or ImageIO as before. It is called only
 * for JPEGs that {@link NativeImageCodec#headerSize} accepted (a size within the limit and an
 * end-of-image marker), and hands back {@code null} (the next decoder then decides) for anything it
 * does not decode cleanly: CMYK or YCCK colour, an error or a libjpeg warning.
 *
 * <p>DCT-domain scaling ({@code 1/2}, {@code 1/4}, {@code 1/8}) is libjpeg's: an image of
 * {@code W x H} decodes at scale {@code 1/f} to {@code ceil(W / f) x ceil(H / f)}, as OpenCV's
 * {@code IMREAD_REDUCED_COLOR_f} and Pillow's {@code Image.draft} do.
 */
final class TurboJpegCodec {

    /** Where Debian's {@code libturbojpeg-java} puts the binding. */
    static final String DEBIAN_JAR = "/usr/share/java/turbojpeg.jar";

    private static final String PACKAGE = "org.libjpegturbo.turbojpeg.";
    private static final int PF_RGB = 0;           // TJ.PF_RGB
    private static final int CS_RGB = 0;           // TJ.CS_RGB, CS_YCbCr = 1, CS_GRAY = 2
    private static final int CS_GRAY = 2;

    /** The binding's methods, or {@code null} when it is not available. */
    private static final Api API = load();

    /** Per-thread decompressor (a native handle, reused) and RGB buffer. */
    private static final ThreadLocal<Object[]> STATE = ThreadLocal.withInitial(() -> new Object[2]);

    private TurboJpegCodec() {}

    private record Api(MethodHandle create, MethodHandle setSource, MethodHandle width,
            MethodHandle height, MethodHandle colorspace, MethodHandle decompress,
            MethodHandle close) {}

    /** Whether JPEGs are decoded through TurboJPEG in this JVM. */
    static boolean available() {
        return API != null;
    }

    private static Api load() {
        if (!Boolean.parseBoolean(System.getProperty("align.image.turbojpeg", "true"))) {
            return null;
        }
        ClassLoader own = TurboJpegCodec.class.getClassLoader();
        try {
            Class<?> c;
            try {
                c = Class.forName(PACKAGE + "TJDecompressor", true, own);
            } catch (ClassNotFoundException e) {
                Path jar = Path.of(System.getProperty("align.image.turbojpeg.jar", DEBIAN_JAR));
                if (!Files.isRegularFile(jar)) {
                    return null;                               // not installed: OpenCV or ImageIO
                }
                URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, own);
                c = Class.forName(PACKAGE + "TJDecompressor", true, loader); // loads the native library
            }
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Api api = new Api(
                    lookup.findConstructor(c, MethodType.methodType(void.class)),
                    lookup.findVirtual(c, "setSourceImage",
                            MethodType.methodType(void.class, byte[].class, int.class)),
                    lookup.findVirtual(c, "getWidth", MethodType.methodType(int.class)),
                    lookup.findVirtual(c, "getHeight", MethodType.methodType(int.class)),
                    lookup.findVirtual(c, "getColorspace", MethodType.methodType(int.class)),
                    lookup.findVirtual(c, "decompress", MethodType.methodType(void.class,
                            byte[].class, int.class, int.class, int.class, int.class, int.class,
                            int.class, int.class)),
                    lookup.findVirtual(c, "close", MethodType.methodType(void.class)));
            api.create().invoke();                             // a native handle can be made
            return api;
        } catch (Throwable e) {
            LoggerFactory.getLogger(TurboJpegCodec.class).warn("TurboJPEG is installed but did not "
                    + "load ({}); decoding JPEGs with OpenCV or ImageIO", e.toString());
            return null;
        }
    }

    /**
     * Decodes a JPEG whose header claims {@code size} at scale {@code 1 / factor} into packed RGB,
     * or {@code null} when it does not take the image. Only call when {@link #available}. The
     * pixels live in a per-thread buffer: valid until this thread decodes the next image.
     *
     * @param factor 1, 2, 4 or 8
     */
    static RgbImage decode(byte[] jpeg, ImageSize size, int factor) {
        Object[] state = STATE.get();
        try {
            if (state[0] == null) {
                state[0] = API.create().invoke();
            }
            Object d = state[0];
            API.setSource().invoke(d, jpeg, jpeg.length);
            int w = (int) API.width().invoke(d);
            int h = (int) API.height().invoke(d);
            int cs = (int) API.colorspace().invoke(d);
            if (w != size.width() || h != size.height() || (cs != CS_RGB && cs != 1 && cs != CS_GRAY)) {
                return null;
            }
            int sw = scaled(w, factor);
            int sh = scaled(h, factor);
            int n = 3 * sw * sh;
            byte[] rgb = state[1] instanceof byte[] b && b.length >= n ? b : new byte[n];
            state[1] = rgb;
            // desired size = the 1/factor size selects exactly that scaling factor
            API.decompress().invoke(d, rgb, 0, 0, sw, 3 * sw, sh, PF_RGB, 0);
            return new RgbImage(sw, sh, rgb, w, h, factor);
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            // a TJException (corrupt data, a libjpeg warning): the next decoder decides. The
            // handle is left mid-stream after an error ("two SOI markers" on the next image), so
            // it is dropped.
            Object broken = state[0];
            state[0] = null;
            try {
                API.close().invoke(broken);
            } catch (Error closeError) {
                throw closeError;
            } catch (Throwable ignored) {
                // already unusable
            }
            return null;
        }
    }

    /** libjpeg's scaled size, {@code ceil(side / factor)}. */
    static int scaled(int side, int factor) {
        return (side + factor - 1) / factor;
    }
}
