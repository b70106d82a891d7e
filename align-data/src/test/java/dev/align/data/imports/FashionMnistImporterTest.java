package dev.align.data.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.data.shards.Sample;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistImporterTest {

    private static final String DIR = "usr/share/datasets/fashion-mnist/";

    @TempDir
    Path dir;

    /** IDX images {@code [n, 2, 3]}: image i has pixel p = 10 i + p. */
    private static byte[] images(int n) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * 6).putInt(2051).putInt(n).putInt(2).putInt(3);
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < 6; p++) {
                b.put((byte) (10 * i + p + 200));
            }
        }
        return b.array();
    }

    private static byte[] labels(int... labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length).putInt(2049).putInt(labels.length);
        for (int l : labels) {
            b.put((byte) l);
        }
        return b.array();
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    private Path source(byte[] trainImages, byte[] trainLabels) throws IOException {
        Path source = dir.resolve("fm");
        ImportFixtures.write(source.resolve(DIR + "train-images-idx3-ubyte.gz"), trainImages);
        ImportFixtures.write(source.resolve(DIR + "train-labels-idx1-ubyte.gz"), trainLabels);
        ImportFixtures.write(source.resolve(DIR + "t10k-images-idx3-ubyte.gz"), gzip(images(3)));
        ImportFixtures.write(source.resolve(DIR + "t10k-labels-idx1-ubyte.gz"),
                gzip(labels(5, 5, 9)));
        return source;
    }

    @Test
    void importsTrainingImagesWithTemplatedCaptionsAndTestImagesAsAnImageFolder()
            throws IOException {
        Path source = source(gzip(images(3)), gzip(labels(0, 9, 12)));
        ImportSummary summary = new FashionMnistImporter(source, 1).run(
                ImportOptions.of(dir.resolve("out")), ImportListener.NONE);
        assertEquals(2, summary.samples());
        assertEquals(Map.of("bad_label", 1L), summary.skipped());
        List<Sample> samples = ImportFixtures.inSourceOrder(ImportFixtures.samples(summary));
        assertTrue(samples.get(0).caption().matches("a (|.* )(photo|picture) of (a|the) "
                + "t-shirt\\.|a t-shirt\\."), samples.get(0).caption());
        assertTrue(samples.get(1).caption().endsWith("ankle boot."), samples.get(1).caption());
        BufferedImage second = ImportFixtures.image(samples.get(1));
        assertEquals(3, second.getWidth());
        assertEquals(2, second.getHeight());
        int v = 10 + 4 + 200;   // image 1, pixel 4 = row 1, column 1
        assertEquals((v << 16) | (v << 8) | v, second.getRGB(1, 1) & 0xFFFFFF);
        assertEquals(2, summary.evalClasses());
        assertEquals(2, summary.evalImages(), "one sandal (of two) and one ankle boot");
        Path eval = dir.resolve("out/eval");
        assertTrue(Files.isRegularFile(eval.resolve("sandal/00000.png")));
        assertTrue(Files.isRegularFile(eval.resolve("ankle boot/00000.png")));
        BufferedImage sandal = ImageIO.read(eval.resolve("sandal/00000.png").toFile());
        assertEquals(200, sandal.getRaster().getSample(0, 0, 0));
        assertEquals(List.of("a photo of a {}.", "a black and white photo of a {}.",
                "a low resolution photo of a {}.", "a photo of the {}.", "a picture of a {}.",
                "a {}."), Files.readAllLines(eval.resolve("templates.txt")));
    }

    @Test
    void truncatedOrMismatchedFilesFailNamingTheFile() throws IOException {
        byte[] whole = gzip(images(3));
        Path cut = source(Arrays.copyOf(whole, whole.length - 12), gzip(labels(0, 1, 2)));
        IOException e = assertThrows(IOException.class, () -> new FashionMnistImporter(cut, 0)
                .run(ImportOptions.of(dir.resolve("out")), ImportListener.NONE));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz is truncated"),
                e.getMessage());

        Path mismatched = source(gzip(images(3)), gzip(labels(0, 1)));
        e = assertThrows(IOException.class, () -> new FashionMnistImporter(mismatched, 0)
                .run(ImportOptions.of(dir.resolve("out2")), ImportListener.NONE));
        assertTrue(e.getMessage().contains("3 images but"), e.getMessage());

        Path swapped = source(gzip(labels(0, 1, 2)), gzip(labels(0, 1, 2)));
        e = assertThrows(IOException.class, () -> new FashionMnistImporter(swapped, 0)
                .run(ImportOptions.of(dir.resolve("out3")), ImportListener.NONE));
        assertTrue(e.getMessage().contains("magic number 2049, expected 2051"), e.getMessage());
    }
}
