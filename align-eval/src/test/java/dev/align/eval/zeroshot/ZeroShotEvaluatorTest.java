package dev.align.eval.zeroshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.data.folder.ImageFolder;
import dev.align.eval.embed.EmbeddingFailure;
import dev.align.eval.embed.EmbeddingResult;
import dev.align.eval.embed.ImageEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZeroShotEvaluatorTest {

    @TempDir
    Path root;

    /** An "image" file holds its embedding as text, "x y"; anything else is corrupt. */
    static final class TextFileImages implements ImageEncoder {
        final List<Integer> callSizes = new ArrayList<>();
        private final int dim;

        TextFileImages() {
            this(2);
        }

        /** Images whose files hold {@code dim} numbers. */
        TextFileImages(int dim) {
            this.dim = dim;
        }

        @Override
        public int embeddingDim() {
            return dim;
        }

        @Override
        public EmbeddingResult encodeImageFiles(List<Path> files) {
            callSizes.add(files.size());
            float[][] out = new float[files.size()][];
            List<EmbeddingFailure> failures = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                try {
                    String[] xy = Files.readString(files.get(i)).trim().split(" ");
                    float[] row = new float[dim];
                    for (int d = 0; d < dim; d++) {
                        row[d] = Float.parseFloat(xy[d]);
                    }
                    out[i] = row;
                } catch (IOException | RuntimeException e) {
                    failures.add(new EmbeddingFailure(i, files.get(i).toString(), "corrupt_image",
                            e.toString()));
                }
            }
            return new EmbeddingResult(out, failures);
        }

        @Override
        public EmbeddingResult encodeEncodedImages(List<byte[]> images) {
            throw new UnsupportedOperationException();
        }
    }

    private void image(String rel, String content) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Test
    void scoresEveryImageAgainstItsFolderAndCountsUnreadableOnes() throws IOException {
        // classes (code-point order): "chat" (label 0, direction e0), "Ωmega" (label 1, e1)
        image("chat/1.png", "1 0");        // right
        image("chat/2.png", "0.9 0.1");    // right
        image("chat/3.png", "0 1");        // wrong: Ωmega
        image("chat/4.png", "1 1");        // tie: goes to label 0, right
        image("Ωmega/1.jpg", "0.2 0.8");   // right
        image("Ωmega/2.jpg", "not an image");  // skipped
        ImageFolder folder = ImageFolder.open(root);
        assertEquals(List.of("chat", "Ωmega"), folder.classNames());
        FakeTextEncoder text = new FakeTextEncoder(Map.of(
                "a chat", new float[] {1, 0}, "a Ωmega", new float[] {0, 1}));
        ZeroShotClassifier zs = ZeroShotClassifier.build(text, folder.classNames(), List.of("a {}"));
        TextFileImages images = new TextFileImages();
        List<long[]> progress = new ArrayList<>();
        ZeroShotReport r = ZeroShotEvaluator.evaluate("toy", folder, images, zs, 1, 4,
                (done, total) -> progress.add(new long[] {done, total}));
        assertEquals(List.of(4, 2), images.callSizes);
        assertEquals(List.of("0/6", "4/6", "6/6"),
                progress.stream().map(p -> p[0] + "/" + p[1]).toList());
        assertEquals(6, r.images());
        assertEquals(5, r.evaluated());
        assertEquals(1, r.skipped());
        assertEquals(Map.of("corrupt_image", 1L), r.skippedByReason());
        assertEquals(5, r.failures().get(0).index());
        assertEquals(4 / 5.0, r.top1(), 1e-15);
        assertEquals(2, r.top5k());
        assertEquals(1.0, r.top5(), 1e-15);
        assertEquals(3 / 4.0, r.perClass().get(0).accuracy(), 1e-15);
        assertEquals(1.0, r.perClass().get(1).accuracy(), 1e-15);
        assertEquals(2, r.perClass().get(1).images());
        assertEquals(1, r.perClass().get(1).evaluated());
        assertEquals((0.75 + 1.0) / 2, r.meanPerClassAccuracy(), 1e-15);
    }

    @Test
    void aClassWithOnlyUnreadableImagesHasNoAccuracyAndAllUnreadableFails() throws IOException {
        image("a/1.png", "1 0");
        image("b/1.png", "garbage");
        ImageFolder folder = ImageFolder.open(root);
        FakeTextEncoder text = new FakeTextEncoder(Map.of("{a}", new float[] {1, 0},
                "{b}", new float[] {0, 1}));
        ZeroShotClassifier zs = ZeroShotClassifier.build(text, folder.classNames(), List.of("{{}}"));
        ZeroShotReport r = ZeroShotEvaluator.evaluate("x", folder, new TextFileImages(), zs, 1,
                256, (d, t) -> {});
        assertNull(r.perClass().get(1).accuracy());
        assertEquals(1.0, r.meanPerClassAccuracy());
        image("a/1.png", "garbage");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ZeroShotEvaluator.evaluate("x", ImageFolder.open(root), new TextFileImages(),
                        zs, 1, 256, (d, t) -> {}));
        assertTrue(e.getMessage().contains("none of the 2 images could be read"), e.getMessage());
    }

    @Test
    void rejectsAClassifierBuiltForOtherClasses() throws IOException {
        image("a/1.png", "1 0");
        ImageFolder folder = ImageFolder.open(root);
        ZeroShotClassifier other = ZeroShotClassifier.of(List.of("b"), new float[][] {{1, 0}});
        assertThrows(IllegalArgumentException.class, () -> ZeroShotEvaluator.evaluate("x", folder,
                new TextFileImages(), other, 1, 1, (d, t) -> {}));
    }
}
