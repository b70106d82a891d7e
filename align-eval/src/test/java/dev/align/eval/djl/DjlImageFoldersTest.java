package dev.align.eval.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.repository.Repository;
import ai.djl.translate.TranslateException;
import dev.align.data.folder.ImageFolder;
import dev.align.eval.Progress;
import dev.align.eval.embed.EmbeddingResult;
import dev.align.eval.embed.ImageEncoder;
import dev.align.eval.embed.TextEncoder;
import dev.align.eval.zeroshot.ZeroShotClassifier;
import dev.align.eval.zeroshot.ZeroShotEvaluator;
import dev.align.eval.zeroshot.ZeroShotReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DjlImageFoldersTest {

    @TempDir
    Path root;

    /** An "image" file holds its 2-d embedding as text, "x y". */
    private static final ImageEncoder TEXT_FILE_IMAGES = new ImageEncoder() {
        @Override
        public int embeddingDim() {
            return 2;
        }

        @Override
        public EmbeddingResult encodeImageFiles(List<Path> files) {
            float[][] out = new float[files.size()][];
            for (int i = 0; i < out.length; i++) {
                try {
                    String[] xy = Files.readString(files.get(i)).trim().split(" ");
                    out[i] = new float[] {Float.parseFloat(xy[0]), Float.parseFloat(xy[1])};
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
            return new EmbeddingResult(out, List.of());
        }

        @Override
        public EmbeddingResult encodeEncodedImages(List<byte[]> images) {
            throw new UnsupportedOperationException();
        }
    };

    /** "a cat" is direction e0, every other prompt e1. */
    private static final TextEncoder PROMPTS = new TextEncoder() {
        @Override
        public int embeddingDim() {
            return 2;
        }

        @Override
        public float[][] encodeTexts(List<String> texts) {
            return texts.stream().map(t -> t.equals("a cat") ? new float[] {1, 0}
                    : new float[] {0, 1}).toArray(float[][]::new);
        }
    };

    private void image(String relative, String content) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private ai.djl.basicdataset.cv.classification.ImageFolder djl(Path dir) {
        return ai.djl.basicdataset.cv.classification.ImageFolder.builder()
                .setRepositoryPath(dir).setSampling(1, false).build();
    }

    @Test
    void listsTheDirectoryByAlignsRulesWhereDjlsDiffer() throws IOException, TranslateException {
        image("cat/1.png", "1 0");
        image("cat/deeper/2.png", "1 0");                          // below DJL's depth 1
        image("\uFF21 fullwidth/1.jpg", "0 1");                    // U+FF21
        image("\uD83D\uDC31 emoji/1.jpg", "0 1");                  // U+1F431
        var folder = djl(root);
        // DJL: UTF-16 order puts the surrogate pair (0xD83D) before U+FF21
        assertEquals(List.of("cat", "\uD83D\uDC31 emoji", "\uFF21 fullwidth"), folder.getSynset());
        assertEquals(3, folder.size());
        ImageFolder listed = DjlImageFolders.toAlign(folder);
        assertEquals(root, listed.root());
        assertEquals(List.of("cat", "\uFF21 fullwidth", "\uD83D\uDC31 emoji"), listed.classFolders());
        assertEquals(4, listed.size());
        assertEquals(ImageFolder.open(root).images(), listed.images());
    }

    @Test
    void zeroShotScoresTheFolderAsTheEvaluatorScoresItsDirectory() throws IOException {
        image("cat/1.png", "1 0");                                 // right
        image("cat/2.png", "0 1");                                 // wrong
        image("dog/1.png", "0.1 0.9");                             // right
        ZeroShotReport viaDjl = DjlImageFolders.zeroShot("pets", djl(root), TEXT_FILE_IMAGES,
                PROMPTS, List.of("a {}"));
        ImageFolder direct = ImageFolder.open(root);
        ZeroShotReport expected = ZeroShotEvaluator.evaluate("pets", direct, TEXT_FILE_IMAGES,
                ZeroShotClassifier.build(PROMPTS, direct.classNames(), List.of("a {}")), 1,
                ZeroShotEvaluator.DEFAULT_CHUNK, Progress.NONE);
        assertEquals(expected, viaDjl);
        assertEquals(2.0 / 3, viaDjl.top1(), 1e-12);
        assertEquals(3, viaDjl.images());
    }

    @Test
    void refusesARepositoryThatIsNotALocalDirectory() {
        var remote = ai.djl.basicdataset.cv.classification.ImageFolder.builder()
                .setRepository(Repository.newInstance("pets", "https://example.com/pets.zip"))
                .setSampling(1, false).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DjlImageFolders.toAlign(remote));
        assertTrue(e.getMessage().contains("https://example.com/pets.zip")
                && e.getMessage().contains("not a local directory"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DjlImageFolders.root(djl(root.resolve("missing"))));
        assertTrue(e.getMessage().contains("not a local directory"), e.getMessage());
    }
}
