package dev.align.eval.zeroshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZeroShotClassifierTest {

    private static final float R = (float) (1 / Math.sqrt(2));

    /** cat: "a cat" -> e0, "the cat" -> e1; dog: "a dog" -> 2 e0 (not unit), "the dog" -> e2. */
    private static ZeroShotClassifier catDog() {
        FakeTextEncoder enc = new FakeTextEncoder(Map.of(
                "a cat", new float[] {1, 0, 0}, "the cat", new float[] {0, 1, 0},
                "a dog", new float[] {2, 0, 0}, "the dog", new float[] {0, 0, 1}));
        return ZeroShotClassifier.build(enc, List.of("cat", "dog"), List.of("a {}", "the {}"));
    }

    @Test
    void averagesNormalisedTemplateEmbeddingsAndRenormalises() {
        ZeroShotClassifier zs = catDog();
        // mean of unit vectors, re-normalised; the dog's (2,0,0) counts as (1,0,0), not twice
        assertArrayEquals(new float[] {R, R, 0}, zs.classEmbedding(0), 1e-7f);
        assertArrayEquals(new float[] {R, 0, R}, zs.classEmbedding(1), 1e-7f);
    }

    @Test
    void scalesLogitsBy100AndGivesSoftmaxProbabilities() {
        ZeroShotClassifier zs = catDog();
        float[] image = {0, 1, 0};                                     // only the cat has e1
        assertArrayEquals(new double[] {100 * R, 0}, zs.logits(image), 1e-5);
        List<Prediction> top = zs.topK(image, 5);
        assertEquals(2, top.size());
        assertEquals(0, top.get(0).classIndex());
        assertEquals("cat", top.get(0).className());
        double p = 1 / (1 + Math.exp(-100 * R));
        assertEquals(p, top.get(0).probability(), 1e-9);
        assertEquals(1 - p, top.get(1).probability(), 1e-9);
        assertEquals(1, zs.predict(new float[] {0, 0, 1}));
    }

    @Test
    void breaksTiesTowardsTheLowestClassIndex() {
        ZeroShotClassifier zs = catDog();
        float[] image = {1, 0, 0};                                     // cat . e0 == dog . e0
        assertEquals(zs.logits(image)[0], zs.logits(image)[1]);
        assertEquals(0, zs.predict(image));
        List<Prediction> top = zs.topK(image, 2);
        assertEquals(List.of(0, 1), top.stream().map(Prediction::classIndex).toList());
        assertEquals(0.5, top.get(0).probability(), 1e-12);
        // reversed class order: the tie now goes to "dog" at index 0
        ZeroShotClassifier reversed = ZeroShotClassifier.of(List.of("dog", "cat"),
                new float[][] {zs.classEmbedding(1), zs.classEmbedding(0)});
        assertEquals("dog", reversed.topK(image, 1).get(0).className());
        assertArrayEquals(new int[] {1, 2, 0}, ZeroShotClassifier.rank(new double[] {1, 3, 3}));
        assertEquals(2, ZeroShotClassifier.rankOf(new double[] {1, 3, 3}, 0));
        assertEquals(1, ZeroShotClassifier.rankOf(new double[] {1, 3, 3}, 2));
    }

    @Test
    void oneClassIsAlwaysPredictedWithProbabilityOne() {
        FakeTextEncoder enc = new FakeTextEncoder(Map.of("a photo of a cat.", new float[] {0, 3}));
        ZeroShotClassifier zs = ZeroShotClassifier.build(enc, List.of("cat"),
                List.of("a photo of a {}."));
        List<Prediction> top = zs.topK(new float[] {1, 0}, 5);
        assertEquals(1, top.size());
        assertEquals(1.0, top.get(0).probability());
        assertEquals(0.0, top.get(0).logit());
    }

    @Test
    void formatsUnicodeClassNamesIntoEveryTemplate() {
        FakeTextEncoder enc = new FakeTextEncoder(Map.of(
                "itap of a 猫.", new float[] {1, 0}, "a {猫} photo: 猫", new float[] {1, 0},
                "itap of a Ölçek 🐟.", new float[] {0, 1}, "a {Ölçek 🐟} photo: Ölçek 🐟", new float[] {0, 1}));
        ZeroShotClassifier zs = ZeroShotClassifier.build(enc, List.of("猫", "Ölçek 🐟"),
                List.of("itap of a {}.", "a {{}} photo: {}"));
        assertEquals(List.of("itap of a 猫.", "a {猫} photo: 猫", "itap of a Ölçek 🐟.",
                "a {Ölçek 🐟} photo: Ölçek 🐟"), enc.seen);
        assertEquals("Ölçek 🐟", zs.topK(new float[] {0, 1}, 1).get(0).className());
    }

    @Test
    void rejectsTemplatesWithoutPlaceholderAndNoClasses() {
        FakeTextEncoder enc = new FakeTextEncoder(Map.of("x", new float[] {1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ZeroShotClassifier.build(enc, List.of("cat"), List.of("a photo of a {}", "a photo")));
        assertTrue(e.getMessage().contains("template 1 ('a photo') has no '{}'"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ZeroShotClassifier.build(enc, List.of(), List.of("{}")));
    }

    @Test
    void shipsOpenAiAndSimpleTemplateSets() throws Exception {
        List<String> openai = Templates.openAiImageNet();
        assertEquals(80, openai.size());
        assertEquals(80, new HashSet<>(openai).size());
        assertEquals("a bad photo of a {}.", openai.get(0));
        assertEquals("a tattoo of the {}.", openai.get(79));
        assertEquals(List.of("itap of a {}.", "a bad photo of the {}.", "a origami {}.",
                "a photo of the large {}.", "a {} in a video game.", "art of the {}.",
                "a photo of the small {}."), Templates.simple());
        assertEquals(openai, Templates.named("openai"));
        assertTrue(openai.stream().allMatch(t -> t.contains("{}")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Templates.named("no-such-set"));
        assertTrue(e.getMessage().contains("neither one of [identity, simple, openai, drawing]"),
                e.getMessage());
        assertEquals(List.of("{}"), Templates.named("identity"));
        List<String> drawing = Templates.named("drawing");
        assertEquals(8, drawing.size());
        assertEquals(List.of("{}", "a drawing of {}."), drawing.subList(0, 2));
        assertTrue(drawing.stream().noneMatch(t -> t.contains("photo")), drawing.toString());
        e = assertThrows(IllegalArgumentException.class, () -> Templates.named(" "));
        assertTrue(e.getMessage().contains("give one of"), e.getMessage());
    }

    @Test
    void aFolderUsesItsOwnTemplatesFileElseOpenAi(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        assertEquals("openai", Templates.forFolder(dir));
        java.nio.file.Files.writeString(dir.resolve("templates.txt"), "{}\nan emoji of {}\n");
        assertEquals(dir.resolve("templates.txt").toString(), Templates.forFolder(dir));
        assertEquals(List.of("{}", "an emoji of {}"), Templates.named(Templates.forFolder(dir)));
    }

    @Test
    void readsUserTemplateFilesStrictly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path f = dir.resolve("t.txt");
        java.nio.file.Files.writeString(f, "a photo of {}.\n\n  a sketch of {}  \n");
        assertEquals(List.of("a photo of {}.", "a sketch of {}"), Templates.named(f.toString()));
        java.nio.file.Files.writeString(f, "a photo of {}.\na photo\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Templates.read(f));
        assertTrue(e.getMessage().contains("line 2: template 'a photo' has no '{}'"), e.getMessage());
        java.nio.file.Files.writeString(f, "\uFEFF{}\n");
        assertEquals(List.of("{}"), Templates.read(f), "a byte-order mark is not part of it");
        java.nio.file.Files.writeString(f, "\n \n");
        e = assertThrows(IllegalArgumentException.class, () -> Templates.read(f));
        assertTrue(e.getMessage().contains("holds no templates"), e.getMessage());
        java.nio.file.Files.write(f, new byte[] {'{', '}', ' ', (byte) 0xC3, '('});
        e = assertThrows(IllegalArgumentException.class, () -> Templates.named(f.toString()));
        assertTrue(e.getMessage().contains(f + " is not valid UTF-8: byte 0xC3 at offset 3"),
                e.getMessage());
    }
}
