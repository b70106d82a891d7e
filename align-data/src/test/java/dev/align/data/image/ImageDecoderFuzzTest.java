package dev.align.data.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.core.testing.fuzz.FuzzHarness;
import dev.align.core.testing.fuzz.Mutator;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@link ImageDecoder} (header reads, full and subsampled decodes) with mutated PNG, JPEG,
 * GIF and BMP files: byte-level mutations, and format-aware ones that set the sizes in a PNG's
 * {@code IHDR} (with a correct CRC, so the reader believes them) or a JPEG's start-of-frame to
 * boundary values, inflate chunk and segment lengths, and cut the pixel data. The decoder must
 * return an opaque RGB image within its pixel limit or throw {@link ImageDecodeException}; memory
 * stays within a bound set by that limit.
 */
class ImageDecoderFuzzTest {

    /** The fuzzed decoder's pixel limit: 1 Mpx keeps the memory bound small. */
    private static final long MAX_PIXELS = 1L << 20;
    private static final ImageDecoder DECODER = new ImageDecoder(MAX_PIXELS, ImageDecoder.WHITE);
    /**
     * A decode holds the reader's raster, the RGB copy and the reader's buffers: at most a few
     * bytes per allowed pixel per band, plus a multiple of the input.
     */
    private static final FuzzHarness HARNESS = FuzzHarness.builder("image decoder")
            .allows(ImageDecodeException.class)
            .maxAllocated(n -> 64 * MAX_PIXELS + 32 * n + (16L << 20),
                    "64 B x 1 Mpx limit + 32 x input + 16 MiB")
            .build();
    private static final FuzzHarness NATIVE = FuzzHarness.builder("image decoder (native)")
            .allows(ImageDecodeException.class)
            .maxAllocated(n -> 64 * MAX_PIXELS + 32 * n + (16L << 20),
                    "64 B x 1 Mpx limit + 32 x input + 16 MiB (Java heap)")
            .keepInputOnCrash()
            .build();
    private static final List<byte[]> SEEDS = seeds();

    @Test
    void decodesWithinTheLimitOrRejectsWithTheDecodeException() {
        HARNESS.check(ImageDecoderFuzzTest::mutate, input -> {
            int mode = Math.floorMod(Arrays.hashCode(input), 3);
            if (mode == 0) {
                ImageSize size = DECODER.readSize(input);
                assertTrue(size.pixels() <= MAX_PIXELS, size.toString());
            } else {
                BufferedImage image = mode == 1 ? DECODER.decode(input)
                        : DECODER.decodeSubsampled(input, 64);
                assertEquals(BufferedImage.TYPE_INT_RGB, image.getType());
                assertTrue((long) image.getWidth() * image.getHeight() <= MAX_PIXELS);
            }
        });
    }

    /**
     * The path the command line, the embedder and training take for JPEG and PNG: the system's
     * libjpeg-turbo ({@link TurboJpegCodec}, where installed), OpenCV's libjpeg-turbo and libpng
     * ({@link NativeImageCodec}), ImageIO for what they do not take; JPEGs also reduced. A
     * crash in native code would end the whole JVM, so the input in progress is kept on disk. The
     * allocation bound counts the Java heap only; OpenCV's buffers are bounded by the header check
     * before decoding (the same pixel limit).
     */
    @Test
    void decodesNativelyWithinTheLimitOrRejectsWithTheDecodeException() {
        assertTrue(NativeImageCodec.available(), "OpenCV (org.openpnp:opencv, align-data's "
                + "optional dependency) must load in align-data's tests: its decoding is fuzzed");
        NATIVE.check(ImageDecoderFuzzTest::mutate, input -> {
            // JPEGs whole and at 1/2, 1/4, 1/8 (the transform's FAST mode)
            int factor = 1 << Math.floorMod(Arrays.hashCode(input) >> 3, 4);
            RgbImage image = DECODER.decodeRgb(input, size -> factor);
            assertTrue(image.width > 0 && image.height > 0
                    && (long) image.width * image.height <= MAX_PIXELS, image.width + "x" + image.height);
            assertTrue(image.rgb.length >= 3L * image.width * image.height, "whole pixels");
        });
    }

    @AfterAll
    static void report() {
        HARNESS.writeReport();
        NATIVE.writeReport();
    }

    static byte[] mutate(Random random) {
        Mutator m = new Mutator(random);
        byte[] seed = SEEDS.get(random.nextInt(SEEDS.size()));
        byte[] b = switch (random.nextInt(4)) {
            case 0 -> m.mutate(seed, SEEDS);
            case 1 -> isPng(seed) ? mutatePng(seed, m) : isJpeg(seed) ? mutateJpeg(seed, m)
                    : m.mutate(seed, SEEDS);
            case 2 -> Arrays.copyOf(seed, random.nextInt(seed.length + 1));
            default -> isPng(seed) ? mutatePng(seed, m) : isJpeg(seed) ? mutateJpeg(seed, m)
                    : m.mutateOnce(seed, SEEDS);
        };
        return b;
    }

    // ---------------------------------------------------------------------------- PNG

    private static boolean isPng(byte[] b) {
        return b.length > 8 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    }

    /** Chunk start offsets of a PNG (the 8-byte signature first). */
    private static List<Integer> chunks(byte[] b) {
        List<Integer> out = new ArrayList<>();
        int at = 8;
        while (at + 12 <= b.length) {
            out.add(at);
            long len = ByteBuffer.wrap(b, at, 4).getInt() & 0xFFFFFFFFL;
            long next = at + 12 + len;
            if (next > b.length) {
                break;
            }
            at = (int) next;
        }
        return out;
    }

    private static void fixCrc(byte[] b, int chunk) {
        int len = ByteBuffer.wrap(b, chunk, 4).getInt();
        if (len < 0 || chunk + 12L + len > b.length) {
            return;
        }
        CRC32 crc = new CRC32();
        crc.update(b, chunk + 4, 4 + len);
        ByteBuffer.wrap(b, chunk + 8 + len, 4).putInt((int) crc.getValue());
    }

    private static byte[] mutatePng(byte[] seed, Mutator m) {
        byte[] b = seed.clone();
        List<Integer> chunks = chunks(b);
        Random r = m.random();
        switch (r.nextInt(5)) {
            case 0 -> {                                          // IHDR width or height, valid CRC
                ByteBuffer.wrap(b, 16 + 4 * r.nextInt(2), 4).putInt((int) m.interestingLong());
                fixCrc(b, 8);
            }
            case 1 -> {                                          // IHDR bit depth, colour, interlace
                b[24 + r.nextInt(5)] = (byte) r.nextInt(r.nextBoolean() ? 8 : 256);
                fixCrc(b, 8);
            }
            case 2 -> {                                          // a chunk length
                int c = chunks.get(r.nextInt(chunks.size()));
                ByteBuffer.wrap(b, c, 4).putInt((int) m.interestingLong());
            }
            case 3 -> {                                          // a chunk's data, valid CRC
                int c = chunks.get(r.nextInt(chunks.size()));
                int len = ByteBuffer.wrap(b, c, 4).getInt();
                if (len > 0) {
                    b[c + 8 + r.nextInt(len)] ^= (byte) (1 + r.nextInt(255));
                    fixCrc(b, c);
                }
            }
            default -> {                                         // cut inside a chunk
                int c = chunks.get(r.nextInt(chunks.size()));
                b = Arrays.copyOf(b, c + 1 + r.nextInt(Math.max(1, b.length - c - 1)));
            }
        }
        return r.nextInt(4) == 0 ? m.mutateOnce(b, List.of()) : b;
    }

    // ---------------------------------------------------------------------------- JPEG

    private static boolean isJpeg(byte[] b) {
        return b.length > 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8;
    }

    /** Offsets of the JPEG markers before the scan data (FFxx with a length). */
    private static List<Integer> segments(byte[] b) {
        List<Integer> out = new ArrayList<>();
        int at = 2;
        while (at + 4 <= b.length && (b[at] & 0xFF) == 0xFF) {
            int marker = b[at + 1] & 0xFF;
            out.add(at);
            if (marker == 0xDA) {
                break;
            }
            at += 2 + ((b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF));
        }
        return out;
    }

    private static byte[] mutateJpeg(byte[] seed, Mutator m) {
        byte[] b = seed.clone();
        List<Integer> segments = segments(b);
        Random r = m.random();
        int sof = -1;
        for (int s : segments) {
            int marker = b[s + 1] & 0xFF;
            if (marker >= 0xC0 && marker <= 0xC2) {
                sof = s;
            }
        }
        switch (r.nextInt(4)) {
            case 0 -> {                                          // frame height or width
                if (sof >= 0) {
                    int v = (int) m.interestingLong();
                    int at = sof + 5 + 2 * r.nextInt(2);
                    b[at] = (byte) (v >> 8);
                    b[at + 1] = (byte) v;
                }
            }
            case 1 -> {                                          // a segment length
                int s = segments.get(r.nextInt(segments.size()));
                int v = (int) m.interestingLong();
                b[s + 2] = (byte) (v >> 8);
                b[s + 3] = (byte) v;
            }
            case 2 -> {                                          // components, sampling, tables
                if (sof >= 0 && sof + 10 < b.length) {
                    b[sof + 9 + r.nextInt(Math.min(8, b.length - sof - 9))] =
                            (byte) r.nextInt(256);
                }
            }
            default -> {                                         // cut in the scan data
                b = Arrays.copyOf(b, b.length / 2 + r.nextInt(b.length / 2));
            }
        }
        return r.nextInt(4) == 0 ? m.mutateOnce(b, List.of()) : b;
    }

    // ---------------------------------------------------------------------------- seeds

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        BufferedImage rgb = gradient(BufferedImage.TYPE_INT_RGB, 23, 17);
        BufferedImage argb = gradient(BufferedImage.TYPE_INT_ARGB, 16, 9);
        BufferedImage grey = gradient(BufferedImage.TYPE_BYTE_GRAY, 12, 12);
        BufferedImage grey16 = gradient(BufferedImage.TYPE_USHORT_GRAY, 8, 5);
        BufferedImage indexed = gradient(BufferedImage.TYPE_BYTE_INDEXED, 10, 7);
        BufferedImage binary = gradient(BufferedImage.TYPE_BYTE_BINARY, 9, 9);
        for (BufferedImage image : List.of(rgb, argb, grey, grey16, indexed, binary)) {
            seeds.add(encode(image, "png"));
        }
        seeds.add(encode(rgb, "jpg"));
        seeds.add(encode(grey, "jpg"));
        seeds.add(progressiveJpeg(rgb));
        seeds.add(encode(indexed, "gif"));
        seeds.add(encode(rgb, "bmp"));
        return seeds;
    }

    private static BufferedImage gradient(int type, int w, int h) {
        BufferedImage image = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | ((x + y) * 40 & 255)
                        | ((x * 20) & 255) << 24);
            }
        }
        return image;
    }

    private static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no " + format + " writer");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] progressiveJpeg(BufferedImage image) {
        try {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
                writer.setOutput(ios);
                writer.write(null, new IIOImage(image, null, null), param);
            }
            writer.dispose();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
