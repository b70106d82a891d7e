package dev.align.eval.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.align.models.io.ModelBundle;
import dev.align.data.image.ImageDecodeException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipEmbedderTest {

    @TempDir
    static Path dir;
    static Path model;
    static ClipEmbedder clip;

    @BeforeAll
    static void open() throws IOException {
        model = TinyModelFolder.write(dir.resolve("model"), 5, true);
        clip = ClipEmbedder.builder(model).optBatchSize(3).build();
    }

    @AfterAll
    static void close() {
        clip.close();
    }

    static BufferedImage picture(int seed) {
        BufferedImage img = new BufferedImage(40 + seed, 30 + 2 * seed, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(seed * 37 % 256, seed * 91 % 256, seed * 53 % 256));
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.WHITE);
        g.fillOval(seed % 10, seed % 7, 15, 12);
        g.dispose();
        return img;
    }

    static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    @Test
    void embedsImagesAndTextsAsUnitVectorsWhateverTheInputForm() throws IOException {
        BufferedImage img = picture(3);
        Path file = dir.resolve("p3.png");
        Files.write(file, png(img));
        float[] fromImage = clip.encodeImage(img);
        assertEquals(128, fromImage.length);                             // tiny: E = 128
        assertEquals(1.0, norm(fromImage), 1e-5);
        assertArrayEquals(fromImage, clip.encodeImage(file));            // PNG is lossless
        assertArrayEquals(fromImage, clip.encodeImage(png(img)));
        float[] text = clip.encodeText("a photo of a red disc.");
        assertEquals(1.0, norm(text), 1e-5);
        assertEquals(clip.model().config().embedDim(), text.length);
    }

    @Test
    void batchSizeDoesNotChangeTheVectors() throws IOException {
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            images.add(picture(i));
        }
        List<String> texts = TinyModelFolder.captions().subList(0, 7);
        float[][] byThree = clip.encodeImages(images);
        float[][] textsByThree = clip.encodeTexts(texts);
        try (ClipEmbedder one = ClipEmbedder.builder(model).optBatchSize(1).build()) {
            for (int i = 0; i < 7; i++) {
                assertArrayEquals(byThree[i], one.encodeImage(images.get(i)), 2e-6f);
                assertArrayEquals(textsByThree[i], one.encodeText(texts.get(i)), 2e-6f);
            }
        }
    }

    @Test
    void skipsAndCountsUnreadableImagesInLists() throws IOException {
        Path good = dir.resolve("good.png");
        Files.write(good, png(picture(1)));
        Path corrupt = dir.resolve("corrupt.png");
        Files.write(corrupt, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Path missing = dir.resolve("missing.png");
        Path good2 = dir.resolve("good2.png");
        Files.write(good2, png(picture(2)));
        EmbeddingResult r = clip.encodeImageFiles(List.of(good, corrupt, missing, good2));
        assertEquals(4, r.size());
        assertEquals(2, r.succeeded());
        assertNull(r.embeddings()[1]);
        assertNull(r.embeddings()[2]);
        assertEquals(List.of(1, 2), r.failures().stream().map(EmbeddingFailure::index).toList());
        assertEquals(java.util.Map.of("corrupt_image", 1L, "unreadable_file", 1L), r.failuresByReason());
        assertTrue(r.failures().get(0).input().endsWith("corrupt.png"));
        // alone (batch 1) vs in a batch of 2: the same within float32 rounding
        assertArrayEquals(clip.encodeImage(good), r.embeddings()[0], 2e-6f);
        assertArrayEquals(clip.encodeImage(good2), r.embeddings()[3], 2e-6f);
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> clip.encodeImage(corrupt));
        assertTrue(e.getMessage().startsWith(corrupt.toString()), e.getMessage());
        EmbeddingResult bytes = clip.encodeEncodedImages(List.of(new byte[] {1, 2, 3}));
        assertEquals(0, bytes.succeeded());
        assertEquals("#0", bytes.failures().get(0).input());
    }

    @Test
    void eightThreadsGiveExactlyTheVectorsOfOneAndKeepTheirGradMode() throws Exception {
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            images.add(picture(10 + i));
        }
        List<String> texts = TinyModelFolder.captions().subList(3, 10);
        float[][] refImages = clip.encodeImages(images);
        float[][] refTexts = clip.encodeTexts(texts);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit((Callable<Boolean>) () -> {
                    boolean gradBefore = JniUtils.isGradMode();     // on in a fresh thread
                    start.await();
                    for (int rep = 0; rep < 3; rep++) {
                        float[][] im = clip.encodeImages(images);
                        float[][] tx = clip.encodeTexts(texts);
                        for (int i = 0; i < im.length; i++) {
                            assertArrayEquals(refImages[i], im[i]);
                        }
                        for (int i = 0; i < tx.length; i++) {
                            assertArrayEquals(refTexts[i], tx[i]);
                        }
                    }
                    assertEquals(gradBefore, JniUtils.isGradMode());
                    return gradBefore;
                }));
            }
            start.countDown();
            for (Future<Boolean> f : results) {
                assertTrue(f.get(), "grad mode is on in new threads (DJL.md section 6)");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void requiresATokenizerWithAClearMessage() throws IOException {
        Path bare = TinyModelFolder.write(dir.resolve("bare"), 1, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClipEmbedder.open(bare));
        assertTrue(e.getMessage().contains("has no tokenizer.json")
                && e.getMessage().contains("optTokenizer"), e.getMessage());
        try (ClipEmbedder withTok = ClipEmbedder.builder(bare)
                .optTokenizer(model.resolve(ModelBundle.TOKENIZER)).build()) {
            assertEquals(1.0, norm(withTok.encodeText("a red disc")), 1e-5);
        }
    }

    @Test
    void textsEncodedUpToTheLongestCaptionEqualThePaddedRowsOfTheTrainingForward() {
        // Captions of 1 to 40 words: batches of 3 sorted by length, each cut to its longest row,
        // against ClipModel's own forward on the full 32-token rows.
        List<String> texts = new ArrayList<>();
        String[] words = {"red", "disc", "photo", "of", "a", "square", "blue", "cross", "itap"};
        for (int i = 0; i < 10; i++) {
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w <= (i * 7) % 40; w++) {
                sb.append(w == 0 ? "" : " ").append(words[(w * 5 + i) % words.length]);
            }
            texts.add(sb.toString());
        }
        float[][] fast = clip.encodeTexts(texts);
        int t = clip.model().config().text().contextLength();
        try (NDManager m = NDManager.newBaseManager()) {
            JniUtils.setGradMode(false);
            ParameterStore ps = new ParameterStore(m, false);
            double max = 0;
            for (int i = 0; i < texts.size(); i++) {
                long[] ids = clip.tokenizer().encode(texts.get(i));
                float[] ref = clip.model().encodeText(ps, m.create(ids, new Shape(1, t)), false)
                        .toFloatArray();
                for (int d = 0; d < ref.length; d++) {
                    max = Math.max(max, Math.abs(ref[d] - fast[i][d]));
                }
            }
            assertTrue(max <= 1e-5, "max |trimmed - padded| = " + max);
        }
    }

    @Test
    void withFixedShapesAnEmbeddingIsBitIdenticalWhateverSharesItsCall() throws IOException {
        List<String> texts = new ArrayList<>(TinyModelFolder.captions());
        texts.add("a photo of a red disc and a blue square and a green cross on a yellow ground");
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            images.add(picture(20 + i));
        }
        try (ClipEmbedder fixed = ClipEmbedder.builder(model).optBatchSize(4).optFixedShapes(true)
                .build()) {
            float[][] all = fixed.encodeTexts(texts);
            float[][] allImages = fixed.encodeImages(images);
            List<String> reversed = new ArrayList<>(texts);
            java.util.Collections.reverse(reversed);
            float[][] rev = fixed.encodeTexts(reversed);
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(all[i], rev[texts.size() - 1 - i], "text " + i);
                assertArrayEquals(all[i], fixed.encodeText(texts.get(i)), "text " + i + " alone");
            }
            for (int i = 0; i < images.size(); i++) {
                assertArrayEquals(allImages[i], fixed.encodeImage(images.get(i)), "image " + i);
            }
        }
    }

    @Test
    void pairScoresAreTheCosinesOfTheEmbeddings() throws IOException {
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            images.add(png(picture(30 + i)));
        }
        images.set(2, new byte[] {1, 2, 3});
        List<String> captions = TinyModelFolder.captions().subList(0, 5);
        float[] scores = clip.scorePairs(images, captions);
        assertTrue(Float.isNaN(scores[2]), "an undecodable image scores NaN");
        for (int i : new int[] {0, 1, 3, 4}) {
            float[] a = clip.encodeImage(images.get(i));
            float[] b = clip.encodeText(captions.get(i));
            double dot = 0;
            for (int d = 0; d < a.length; d++) {
                dot += (double) a[d] * b[d];
            }
            assertEquals(dot, scores[i], 2e-6, "pair " + i);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> clip.scorePairs(images, captions.subList(0, 4)));
        assertTrue(e.getMessage().contains("5 images but 4 captions"), e.getMessage());
    }

    @Test
    void refusesCallsAfterClose() throws IOException {
        ClipEmbedder c = ClipEmbedder.open(model);
        c.close();
        c.close();
        assertThrows(IllegalStateException.class, () -> c.encodeText("x"));
    }
}
