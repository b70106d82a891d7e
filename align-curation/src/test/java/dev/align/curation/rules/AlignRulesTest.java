package dev.align.curation.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlignRulesTest {

    private static final AlignRules DEFAULTS = new AlignRules(AlignRulesConfig.defaults());

    private static ImageFacts img(int w, int h, long hash) {
        return new ImageFacts(w, h, hash);
    }

    private static Set<RuleHit> judgeAlone(AlignRules rules, String caption, ImageFacts image) {
        return rules.count(List.of(caption), image == null ? null : java.util.Arrays.asList(image))
                .hits(caption, image);
    }

    @Test
    void wordsAreWhitespaceSplitTrimmedOfPunctuationAndLowerCased() {
        assertEquals(List.of("a", "photo", "of", "my", "dog"),
                CaptionWords.words("A photo: (of) my DOG!! -"));
        assertEquals(List.of(), CaptionWords.words("- -  \t"));
        assertEquals(List.of("don't", "e-mail", "café"), CaptionWords.words("Don't\u00a0e-mail\nCAFÉ."));
    }

    @Test
    void shorterSideBelow200IsTooSmall() {
        String ok = "a dog on the beach";
        assertEquals(Set.of(), judgeAlone(DEFAULTS, ok, img(200, 200, 1)));
        assertEquals(Set.of(RuleHit.IMAGE_TOO_SMALL), judgeAlone(DEFAULTS, ok, img(199, 300, 1)));
        assertEquals(Set.of(RuleHit.IMAGE_TOO_SMALL), judgeAlone(DEFAULTS, ok, img(500, 199, 1)));
    }

    @Test
    void aspectRatioAboveThreeIsDropped() {
        String ok = "a dog on the beach";
        assertEquals(Set.of(), judgeAlone(DEFAULTS, ok, img(600, 200, 1)));        // exactly 3
        assertEquals(Set.of(RuleHit.ASPECT_RATIO), judgeAlone(DEFAULTS, ok, img(601, 200, 1)));
        assertEquals(Set.of(RuleHit.ASPECT_RATIO), judgeAlone(DEFAULTS, ok, img(200, 601, 1)));
        assertEquals(EnumSet.of(RuleHit.IMAGE_TOO_SMALL, RuleHit.ASPECT_RATIO),
                judgeAlone(DEFAULTS, ok, img(700, 100, 1)));
    }

    @Test
    void captionLengthMustBeThreeToTwentyWords() {
        ImageFacts big = img(300, 300, 1);
        assertEquals(Set.of(RuleHit.TOO_FEW_WORDS), judgeAlone(DEFAULTS, "two words", big));
        assertEquals(Set.of(RuleHit.TOO_FEW_WORDS), judgeAlone(DEFAULTS, "two words - !", big));
        assertEquals(Set.of(), judgeAlone(DEFAULTS, "three words here", big));
        String twenty = String.join(" ", Collections.nCopies(20, "w"));
        assertEquals(Set.of(), judgeAlone(DEFAULTS, twenty, big));
        assertEquals(Set.of(RuleHit.TOO_MANY_WORDS), judgeAlone(DEFAULTS, twenty + " w", big));
    }

    @Test
    void aCaptionWithMoreThanTenDistinctImagesIsShared() {
        List<String> captions = new ArrayList<>();
        List<ImageFacts> images = new ArrayList<>();
        for (int i = 0; i < 11; i++) {             // "Stock photo" with 11 distinct images
            captions.add(i % 2 == 0 ? "Stock photo image" : "stock photo, image!"); // same words
            images.add(img(300, 300, 1000 + i));
        }
        for (int i = 0; i < 30; i++) {             // "a red car" 30 times with the same 10 images
            captions.add("a red car");
            images.add(img(300, 300, 2000 + i % 10));
        }
        AlignRules.Counts counts = DEFAULTS.count(captions, images);
        assertEquals(Set.of(RuleHit.CAPTION_SHARED), counts.hits(captions.get(0), images.get(0)));
        assertEquals(Set.of(RuleHit.CAPTION_SHARED), counts.hits(captions.get(1), images.get(1)));
        assertEquals(Set.of(), counts.hits("a red car", images.get(11)));
    }

    @Test
    void anImageWithMoreThanMDistinctCaptionsIsShared() {
        AlignRules rules = new AlignRules(new AlignRulesConfig(null, null, 3, null, null, null,
                null, null, null));
        List<String> captions = List.of("one happy dog", "two happy dogs", "three happy dogs",
                "four happy dogs", "one happy cat", "one happy cat", "one happy cat", "one happy cat");
        List<ImageFacts> images = List.of(img(300, 300, 7), img(300, 300, 7), img(300, 300, 7),
                img(300, 300, 7), img(300, 300, 8), img(300, 300, 8), img(300, 300, 8),
                img(300, 300, 8));
        AlignRules.Counts counts = rules.count(captions, images);
        for (int i = 0; i < 4; i++) {
            assertEquals(Set.of(RuleHit.IMAGE_SHARED), counts.hits(captions.get(i), images.get(i)));
        }
        assertEquals(Set.of(), counts.hits("one happy cat", images.get(4))); // one distinct caption
    }

    @Test
    void contentHashIdentifiesImagesByTheirBytes() {
        byte[] a = {1, 2, 3};
        assertEquals(ImageFacts.contentHash(a), ImageFacts.contentHash(new byte[] {1, 2, 3}));
        assertTrue(ImageFacts.contentHash(a) != ImageFacts.contentHash(new byte[] {1, 2, 4}));
        // SHA-256("abc") = ba7816bf8f01cfea 414140de5dae2223...
        assertEquals(0xba7816bf8f01cfeaL, ImageFacts.contentHash("abc".getBytes()));
    }

    @Test
    void rareTokensOutsideTheTopKVocabularyDropCaptionsThatContainAny() {
        // counts: "a" 4, "dog" 3, "a dog" 3, "runs" 2, "dog runs" 2, "a cat" 1, "cat" 1, ...
        List<String> captions = List.of("a dog runs", "a dog runs", "a dog", "a cat");
        AlignRules anyRule = new AlignRules(new AlignRulesConfig(null, null, null, null, 0, null,
                RareTokenMode.ANY, 5L, null));
        AlignRules.Counts counts = anyRule.count(captions, null);
        // sorted counts 4,3,3,2,2,1,1: the 5th largest is 2, so tokens seen once are rare
        assertEquals(2, counts.rareBelow());
        assertEquals(7, counts.distinctTokens());
        assertEquals(Set.of(), counts.hits("a dog runs", null));
        assertEquals(Set.of(RuleHit.RARE_TOKENS), counts.hits("a cat", null));
        assertEquals(Set.of(RuleHit.RARE_TOKENS), counts.hits("a dog cat", null)); // "cat" rare

        AlignRules allRule = new AlignRules(new AlignRulesConfig(null, null, null, null, 0, null,
                RareTokenMode.ALL, 5L, null));
        AlignRules.Counts all = allRule.count(captions, null);
        assertEquals(Set.of(), all.hits("a cat", null));                 // "a" is frequent
        assertEquals(Set.of(RuleHit.RARE_TOKENS), all.hits("cat zebra", null)); // all rare

        AlignRules minCount = new AlignRules(new AlignRulesConfig(null, null, null, null, 0, null,
                RareTokenMode.ANY, null, 3L));
        AlignRules.Counts mc = minCount.count(captions, null);
        assertEquals(3, mc.rareBelow());
        assertEquals(Set.of(RuleHit.RARE_TOKENS), mc.hits("a dog runs", null)); // "runs" seen twice
        assertEquals(Set.of(), mc.hits("a dog", null));
    }

    @Test
    void tiesAtTheVocabularyBoundaryAreAllIn() {
        List<String> captions = List.of("x y", "x y", "z w");
        // x 2, y 2, "x y" 2, z 1, w 1, "z w" 1: K = 2 cuts inside the three 2s: all three stay in
        AlignRules rules = new AlignRules(new AlignRulesConfig(null, null, null, null, 0, null,
                RareTokenMode.ANY, 2L, null));
        AlignRules.Counts counts = rules.count(captions, null);
        assertEquals(2, counts.rareBelow());
        assertEquals(Set.of(), counts.hits("x y", null));
        assertEquals(Set.of(RuleHit.RARE_TOKENS), counts.hits("z w", null));
    }

    @Test
    void decisionsDoNotDependOnPoolOrder() {
        Random r = new Random(3);
        List<String> captions = new ArrayList<>();
        List<ImageFacts> images = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            captions.add("w" + r.nextInt(10) + " w" + r.nextInt(10) + " w" + r.nextInt(10)
                    + (r.nextBoolean() ? " w" + r.nextInt(300) : ""));
            images.add(img(190 + r.nextInt(300), 190 + r.nextInt(300), r.nextInt(200)));
        }
        AlignRules rules = new AlignRules(new AlignRulesConfig(null, null, 40, 5, null, null,
                RareTokenMode.ANY, 500L, null));
        AlignRules.Counts counts = rules.count(captions, images);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < captions.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(4));
        AlignRules.Counts shuffled = rules.count(order.stream().map(captions::get).toList(),
                order.stream().map(images::get).toList());
        int hits = 0;
        for (int i = 0; i < captions.size(); i++) {
            Set<RuleHit> h = counts.hits(captions.get(i), images.get(i));
            assertEquals(h, shuffled.hits(captions.get(i), images.get(i)));
            hits += h.isEmpty() ? 0 : 1;
        }
        assertTrue(hits > 100 && hits < 1990, "a mix of kept and dropped: " + hits);
    }

    @Test
    void configIsStrictJsonWithAlignDefaults() {
        AlignRulesConfig c = AlignRulesConfig.fromJson("{\"maxWords\": 30}", "test");
        assertEquals(30, c.maxWords());
        assertEquals(200, c.minShorterSide());
        assertEquals(3.0, c.maxAspectRatio());
        assertEquals(10, c.maxImagesPerCaption());
        assertEquals(1000, c.maxCaptionsPerImage());
        assertEquals(3, c.minWords());
        assertEquals(RareTokenMode.ANY, c.rareTokenMode());
        assertEquals(100_000_000L, c.rareTokenVocabulary());
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> AlignRulesConfig.fromJson("{\"maxWord\": 30}", "test"));
        assertTrue(typo.getMessage().contains("maxWord"), typo.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> AlignRulesConfig.fromJson("{\"minWords\": 5, \"maxWords\": 4}", "test"));
        assertTrue(bad.getMessage().contains("minWords"), bad.getMessage());
    }
}
