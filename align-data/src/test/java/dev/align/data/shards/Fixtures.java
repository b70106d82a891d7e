package dev.align.data.shards;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Tiny synthetic images and hand-made tars for the shard tests. */
final class Fixtures {

    private Fixtures() {}

    /** A {@code w x h} PNG of one colour. */
    static byte[] png(int w, int h, int rgb) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return encode(image, "png");
    }

    static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Members in the given order, written with no checks at all. */
    static Path rawTar(Path file, List<Map.Entry<String, byte[]>> members) throws IOException {
        try (OutputStream out = Files.newOutputStream(file);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> m : members) {
                TarArchiveEntry e = new TarArchiveEntry(m.getKey(), true);
                e.setSize(m.getValue().length);
                tar.putArchiveEntry(e);
                tar.write(m.getValue());
                tar.closeArchiveEntry();
            }
        }
        return file;
    }

    /** Writes {@code n} valid samples {@code 000000..} into shards of {@code perShard}. */
    static List<String> writeShards(Path dir, int n, int perShard) throws IOException {
        try (ShardWriter writer = new ShardWriter(dir, perShard)) {
            for (int i = 0; i < n; i++) {
                writer.write(String.format("%06d", i), "png", png(3 + i % 4, 2 + i % 3,
                        0x010203 * (i % 80)), "caption number " + i, "{\"i\":" + i + "}");
            }
            List<String> names = new ArrayList<>();
            int shards = (n + perShard - 1) / perShard;
            for (int s = 0; s < shards; s++) {
                names.add(dir.resolve(String.format("%05d.tar", s)).toString());
            }
            return names;
        }
    }

    /** All samples of one epoch. */
    static List<Sample> readAll(ShardReaderOptions options, long epoch) {
        List<Sample> out = new ArrayList<>();
        try (ShardReader reader = ShardReader.open(options, epoch)) {
            reader.forEachRemaining(out::add);
        }
        return out;
    }

    static List<String> keys(List<Sample> samples) {
        List<String> keys = new ArrayList<>();
        for (Sample s : samples) {
            keys.add(s.key());
        }
        return keys;
    }

    static List<Map.Entry<String, byte[]>> members(Object... nameThenBytes) {
        List<Map.Entry<String, byte[]>> m = new ArrayList<>();
        for (int i = 0; i < nameThenBytes.length; i += 2) {
            Object v = nameThenBytes[i + 1];
            byte[] bytes = v instanceof String s ? utf8(s) : (byte[]) v;
            m.add(Map.entry((String) nameThenBytes[i], bytes));
        }
        return m;
    }
}
