package dev.align.curation.dfn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.align.data.image.ImageTransform;
import dev.align.data.text.BpeTokenizer;
import dev.align.eval.embed.ClipEmbedder;
import dev.align.models.clip.ClipModel;
import dev.align.models.io.ModelBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DfnScorerTest {

    @TempDir
    static Path tmp;
    static Path model;
    static List<byte[]> images = new ArrayList<>();
    static List<String> captions;

    @BeforeAll
    static void setUp() throws IOException {
        model = DfnFixtures.modelFolder(tmp.resolve("model"), 7);
        captions = DfnFixtures.captions(11, 3);
        for (int i = 0; i < 11; i++) {
            images.add(DfnFixtures.png(20 + 3 * i, 17 + 5 * (i % 4), 100 + i)); // assorted shapes
        }
    }

    @Test
    void scoreIsTheCosineOfTheModelsEmbeddingsWithOpenClipEvalPreprocessing() throws IOException {
        float[] scores;
        try (DfnScorer scorer = DfnScorer.load(model, 4)) {
            scores = scorer.score(images, captions);
        }
        BpeTokenizer tokenizer = BpeTokenizer.load(model.resolve(ModelBundle.TOKENIZER), 16);
        ImageTransform transform = ImageTransform.builder(16).build(); // centre crop, OpenAI mean/std
        try (NDManager manager = NDManager.newBaseManager(); ModelBundle bundle = ModelBundle.read(model)) {
            ClipModel clip = bundle.loadModel(manager, DataType.FLOAT32);
            ParameterStore ps = new ParameterStore(manager, false);
            for (int i = 0; i < images.size(); i++) {
                float[] px = new float[3 * 16 * 16];
                transform.apply(images.get(i), 0, px, 0);
                NDArray img = clip.encodeImage(ps, manager.create(px, new Shape(1, 3, 16, 16)), false);
                NDArray txt = clip.encodeText(ps, manager.create(tokenizer.encode(captions.get(i)),
                        new Shape(1, 16)), false);
                float expected = img.mul(txt).sum().getFloat();
                assertEquals(expected, scores[i], 2e-6, "pair " + i);
                assertTrue(Math.abs(scores[i]) <= 1.0001f);
            }
        } catch (dev.align.data.image.ImageDecodeException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aPairsScoreDoesNotDependOnTheOtherPairsInItsBatchNorOnItsRow() throws IOException {
        try (DfnScorer scorer = DfnScorer.load(model, 4)) {
            float[] all = scorer.score(images, captions);
            // Reversed order: every pair lands in another batch, at another row, with other pairs.
            List<byte[]> revImages = new ArrayList<>(images);
            List<String> revCaptions = new ArrayList<>(captions);
            java.util.Collections.reverse(revImages);
            java.util.Collections.reverse(revCaptions);
            float[] reversed = scorer.score(revImages, revCaptions);
            for (int i = 0; i < all.length; i++) {
                assertEquals(Float.floatToIntBits(all[i]),
                        Float.floatToIntBits(reversed[all.length - 1 - i]), "pair " + i);
                float alone = scorer.score(List.of(images.get(i)), List.of(captions.get(i)))[0];
                assertEquals(Float.floatToIntBits(all[i]), Float.floatToIntBits(alone), "pair " + i);
            }
        }
    }

    @Test
    void scoresEqualTheEmbeddersOnTheSamePairs() throws IOException {
        try (DfnScorer scorer = DfnScorer.load(model, 4);
                ClipEmbedder fixed = ClipEmbedder.builder(model).optBatchSize(4)
                        .optFixedShapes(true).build();
                ClipEmbedder plain = ClipEmbedder.open(model)) {
            float[] scores = scorer.score(images, captions);
            assertArrayEquals(fixed.scorePairs(images, captions), scores, "the same code: bitwise");
            float[][] image = plain.encodeEncodedImages(images).embeddings();
            float[][] text = plain.encodeTexts(captions);
            for (int i = 0; i < scores.length; i++) {
                double dot = 0;
                for (int d = 0; d < image[i].length; d++) {
                    dot += (double) image[i][d] * text[i][d];
                }
                assertEquals(dot, scores[i], 2e-6, "pair " + i);
            }
        }
    }

    @Test
    void anUndecodableImageScoresNanAndLeavesTheOthersIntact() throws IOException {
        try (DfnScorer scorer = DfnScorer.load(model, 4)) {
            float[] clean = scorer.score(images.subList(0, 3), captions.subList(0, 3));
            List<byte[]> broken = new ArrayList<>(images.subList(0, 3));
            broken.set(1, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
            float[] scores = scorer.score(broken, captions.subList(0, 3));
            assertTrue(Float.isNaN(scores[1]));
            assertEquals(clean[0], scores[0]);
            assertEquals(clean[2], scores[2]);
        }
    }

    @Test
    void scoringManyBatchesLeavesNoArraysBehind() throws IOException {
        try (DfnScorer scorer = DfnScorer.load(model, 3)) {
            scorer.score(images, captions);
            int live = scorer.liveArrays();
            for (int k = 0; k < 20; k++) {
                scorer.score(images, captions);
            }
            assertEquals(live, scorer.liveArrays());
        }
    }

    @Test
    void aModelFolderWithoutTokenizerIsRejectedWithWhatToDo() throws IOException {
        Path bare = tmp.resolve("bare");
        DfnFixtures.modelFolder(bare, 1);
        Files.delete(bare.resolve(ModelBundle.TOKENIZER));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DfnScorer.load(bare, 4));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
        assertTrue(e.getMessage().contains("copy"), e.getMessage());
    }

    @Test
    void aClosedScorerRefusesWork() throws IOException {
        DfnScorer scorer = DfnScorer.load(model, 2);
        scorer.close();
        scorer.close();
        assertThrows(IllegalStateException.class, () -> scorer.score(images, captions));
    }
}
