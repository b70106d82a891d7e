package dev.align.data.imports;

import dev.align.data.image.ImageDecoder;
import dev.align.data.shards.Sample;
import dev.align.data.shards.ShardReader;
import dev.align.data.shards.ShardReaderOptions;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Tiny hand-made source files for the importer tests (no downloads). */
final class ImportFixtures {

    private ImportFixtures() {}

    /** A {@code w x h} ARGB PNG: a square of {@code argb} in the middle, transparent around. */
    static byte[] transparentPng(int w, int h, int argb) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        for (int y = h / 4; y < 3 * h / 4; y++) {
            for (int x = w / 4; x < 3 * w / 4; x++) {
                image.setRGB(x, y, argb);
            }
        }
        return encode(image);
    }

    /** A {@code w x h} opaque PNG of one colour. */
    static byte[] png(int w, int h, int rgb) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return encode(image);
    }

    static byte[] encode(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Only a PNG signature and an IHDR chunk claiming {@code w x h} RGB pixels. */
    static byte[] pngHeader(int w, int h) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer chunk = ByteBuffer.allocate(17);
        chunk.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(w).putInt(h)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(chunk.array());
        out.writeBytes(ByteBuffer.allocate(4).putInt(13).array());
        out.writeBytes(chunk.array());
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        return out.toByteArray();
    }

    static Path write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    static Path write(Path file, String text) throws IOException {
        return write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Every sample of the shards an import wrote, in order. */
    static List<Sample> samples(ImportSummary summary) {
        List<Sample> out = new ArrayList<>();
        try (ShardReader reader = ShardReader.open(ShardReaderOptions.of(summary.shards()), 0)) {
            reader.forEachRemaining(out::add);
        }
        return out;
    }

    /**
     * The samples sorted back into their source order by the {@code index} of their
     * {@code .json} (importers write them in a seeded random order).
     */
    static List<Sample> inSourceOrder(List<Sample> samples) {
        List<Sample> sorted = new ArrayList<>(samples);
        sorted.sort(java.util.Comparator.comparingLong(ImportFixtures::index));
        return sorted;
    }

    /** The {@code index} of a sample's {@code .json}. */
    static long index(Sample sample) {
        try {
            return dev.align.core.json.Json.mapper().readTree(json(sample)).get("index")
                    .asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BufferedImage image(Sample sample) throws IOException {
        return new ImageDecoder().decode(sample.image());
    }

    static String json(Sample sample) {
        return new String(sample.members().get("json"), StandardCharsets.UTF_8);
    }
}
