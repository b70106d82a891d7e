package dev.align.data.imports;

import static dev.align.data.imports.ImportFixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.data.shards.Sample;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmojiImporterTest {

    @TempDir
    Path dir;

    private Path source;

    /**
     * The emoji source layout in miniature: emojibase labels (one with a skin tone, one that
     * repeats a word as "smiling face with smiling eyes" does), and per
     * style an emoji.json with a labelled emoji with a skin variation, an emoji emojibase does
     * not know, one whose image is corrupt and one whose image is missing.
     */
    @BeforeEach
    void writeSource() throws IOException {
        source = dir.resolve("emoji");
        write(source.resolve("emojibase-data/en/data.json"), """
                [{"label": "fox face face", "hexcode": "1F98A", "tags": ["animal", "face", "fox"]},
                 {"label": "waving hand", "hexcode": "1F44B", "tags": ["hello", "wave"],
                  "skins": [{"label": "waving hand: dark skin tone", "hexcode": "1F44B-1F3FF"}]},
                 {"label": "red heart", "hexcode": "2764-FE0F", "tags": ["love"]},
                 {"label": "white flag", "hexcode": "1F3F3", "tags": ["waving"]}]
                """);
        writePackage("google", 0xFFFF0000, "");
        writePackage("twitter", 0xFF0000FF, "");
    }

    /**
     * One style's package: its emoji.json (with {@code foxExtra} inserted into the fox's entry)
     * and its drawings in {@code colour}.
     */
    private void writePackage(String style, int colour, String foxExtra) throws IOException {
        Path pkg = source.resolve("emoji-datasource-" + style);
        write(pkg.resolve("emoji.json"), """
                [{"unified": "1F44B", "image": "1f44b.png", "sort_order": 2,
                  "category": "People & Body", "subcategory": "hand-fingers-open",
                  "name": "WAVING HAND SIGN",
                  "skin_variations": {"1F3FF": {"unified": "1F44B-1F3FF",
                                                "image": "1f44b-1f3ff.png"}}},
                 {"unified": "1F98A", "image": "1f98a.png", "sort_order": 1, %s
                  "category": "Animals & Nature", "subcategory": "animal-mammal",
                  "name": "FOX FACE"},
                 {"unified": "1FAE8", "image": "1fae8.png", "sort_order": 3,
                  "name": "SHAKING FACE"},
                 {"unified": "2764-FE0F", "non_qualified": "2764", "image": "2764-fe0f.png",
                  "sort_order": 4, "name": "HEAVY BLACK HEART"},
                 {"unified": "1F3F3-FE0F", "image": "1f3f3-fe0f.png", "sort_order": 5,
                  "name": "WAVING WHITE FLAG"}]
                """.formatted(foxExtra));
        Path img = pkg.resolve("img/" + style + "/64");
        write(img.resolve("1f98a.png"), ImportFixtures.transparentPng(8, 8, colour));
        write(img.resolve("1f44b.png"), ImportFixtures.transparentPng(8, 8, colour));
        write(img.resolve("1f44b-1f3ff.png"), ImportFixtures.transparentPng(8, 8, colour));
        write(img.resolve("1fae8.png"), ImportFixtures.transparentPng(8, 8, colour));
        write(img.resolve("2764-fe0f.png"), "<html>not a png</html>");
        // 1f3f3-fe0f.png is missing
    }

    /**
     * Four styles in the order given: each emoji once per style (Facebook has no fox, as
     * {@code has_img_facebook} says), each drawing from its own package, and the same labels
     * and eval classes as two styles.
     */
    @Test
    void everyStyleGivenIsImportedInItsOrderAndHasImgIsHonoured() throws IOException {
        writePackage("apple", 0xFF00FF00, "");
        writePackage("facebook", 0xFFFFFF00, "\"has_img_facebook\": false,");
        List<EmojiImporter.Style> styles = EmojiImporter.Style.parseList(
                "facebook, google,apple,twitter");
        ImportSummary summary = new EmojiImporter(source, styles).run(
                ImportOptions.of(dir.resolve("out")), ImportListener.NONE);
        assertEquals(3 * 4 - 1, summary.samples());
        List<Sample> samples = ImportFixtures.inSourceOrder(ImportFixtures.samples(summary));
        Map<String, Integer> colour = Map.of("google", 0xFF0000, "twitter", 0x0000FF,
                "apple", 0x00FF00, "facebook", 0xFFFF00);
        // position by position through each style's list, in the order given: Facebook's
        // first drawing is the hand, as it has no fox
        List<String> expected = List.of("facebook 1F44B", "google 1F98A", "apple 1F98A",
                "twitter 1F98A", "facebook 1F44B-1F3FF", "google 1F44B", "apple 1F44B",
                "twitter 1F44B", "google 1F44B-1F3FF", "apple 1F44B-1F3FF",
                "twitter 1F44B-1F3FF");
        for (int i = 0; i < expected.size(); i++) {
            String style = field(samples.get(i), "style");
            assertEquals(expected.get(i), style + " " + field(samples.get(i), "hexcode"));
            assertEquals((int) colour.get(style),
                    ImportFixtures.image(samples.get(i)).getRGB(4, 4) & 0xFFFFFF, "sample " + i);
        }
        assertEquals(List.of("fox face face", "waving hand", "waving hand: dark skin tone"),
                java.nio.file.Files.readAllLines(dir.resolve("out/labels.txt")));
        assertArrayEquals(new int[] {4, 4, 3}, dev.align.data.folder.ImageFolder.open(
                dir.resolve("out/eval")).imagesPerClass(), "hand, hand dark, fox");
    }

    @Test
    void aStyleListIsParsedStrictly() {
        assertEquals(List.of(EmojiImporter.Style.APPLE, EmojiImporter.Style.GOOGLE),
                EmojiImporter.Style.parseList("apple,GOOGLE"));
        assertEquals(List.of(EmojiImporter.Style.GOOGLE, EmojiImporter.Style.TWITTER),
                EmojiImporter.DEFAULT_STYLES);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmojiImporter.Style.parseList("google,noto"));
        assertEquals("unknown emoji style 'noto' in 'google,noto': use google, twitter, apple "
                + "or facebook", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> EmojiImporter.Style.parseList("apple,twitter,apple"));
        assertTrue(e.getMessage().contains("style apple repeats"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> EmojiImporter.Style.parseList("google,"));
        assertTrue(e.getMessage().contains("unknown emoji style ''"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> EmojiImporter.Style.parseList(" "));
        assertTrue(e.getMessage().contains("the style list is empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new EmojiImporter(source,
                List.of(EmojiImporter.Style.GOOGLE, EmojiImporter.Style.GOOGLE)));
        assertTrue(e.getMessage().contains("repeat a style"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new EmojiImporter(source, List.of()));
        assertTrue(e.getMessage().contains("give at least one emoji style"), e.getMessage());
    }

    /** Apple and Facebook come from their own fetch, and a missing one says which. */
    @Test
    void aMissingSeparatelyFetchedStyleNamesItsFetchCommand() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EmojiImporter(source, List.of(EmojiImporter.Style.GOOGLE,
                        EmojiImporter.Style.APPLE)).run(ImportOptions.of(dir.resolve("out")),
                        ImportListener.NONE));
        assertTrue(e.getMessage().contains("emoji-datasource-apple/emoji.json")
                && e.getMessage().contains("tools/fetch/fetch emoji-styles"), e.getMessage());
    }

    @Test
    void importsLabelledEmojiInSortOrderAndCountsEverySkip() throws IOException {
        ImportSummary summary = new EmojiImporter(source, List.of(EmojiImporter.Style.GOOGLE)).run(
                ImportOptions.of(dir.resolve("out")).withBackground(0x00FF00),
                ImportListener.NONE);
        assertEquals(3, summary.samples());
        assertEquals(Map.of("no_cldr_label", 1L, "corrupt_image", 1L, "missing_image", 1L),
                summary.skipped());
        List<Sample> samples = ImportFixtures.inSourceOrder(ImportFixtures.samples(summary));
        List<String> labels = List.of("fox face face", "waving hand", "waving hand: dark skin tone");
        for (int i = 0; i < 3; i++) {
            String caption = samples.get(i).caption();
            assertTrue(caption.equals(labels.get(i)) || caption.startsWith(labels.get(i) + ", ")
                    || caption.startsWith("an emoji of " + labels.get(i))
                    || caption.startsWith(labels.get(i) + " emoji"), caption);
            String json = ImportFixtures.json(samples.get(i));
            assertTrue(json.contains("\"style\":\"google\""), json);
            assertTrue(json.contains("\"label\":\"" + labels.get(i) + "\""), json);
        }
        assertTrue(ImportFixtures.json(samples.get(2)).contains("\"skinTone\":5"));
        BufferedImage image = ImportFixtures.image(samples.get(0));
        assertEquals(8, image.getWidth());
        assertEquals(0xFF0000, image.getRGB(4, 4) & 0xFFFFFF, "the drawing");
        assertEquals(0x00FF00, image.getRGB(0, 0) & 0xFFFFFF, "transparency on the background");
    }

    @Test
    void bothStylesAlternateInTheSourceOrderAndTagsComeFromEmojibaseOnly() throws IOException {
        ImportSummary summary = new EmojiImporter(source, EmojiImporter.DEFAULT_STYLES).run(
                ImportOptions.of(dir.resolve("out")).withSeed(4), ImportListener.NONE);
        assertEquals(6, summary.samples());
        List<Sample> samples = ImportFixtures.inSourceOrder(ImportFixtures.samples(summary));
        for (int i = 0; i < 6; i++) {
            String style = i % 2 == 0 ? "google" : "twitter";
            assertTrue(ImportFixtures.json(samples.get(i)).contains("\"style\":\"" + style + "\""));
            String caption = samples.get(i).caption();
            for (String part : caption.split(", ")) {
                assertTrue(part.contains("fox face") || part.contains("waving hand")
                        || List.of("animal", "hello", "wave").contains(part), caption);
            }
        }
        assertEquals(0x0000FF, ImportFixtures.image(samples.get(1)).getRGB(4, 4) & 0xFFFFFF);
    }

    /**
     * The same-style zero-shot set: one class per CLDR label (folder: the code points of its
     * first emoji) holding each style's drawing, named by the label; the labels list and the
     * caption templates beside it.
     */
    @Test
    void writesOneEvalClassPerLabelTheLabelListAndTheCaptionTemplates() throws IOException {
        ImportSummary summary = new EmojiImporter(source, EmojiImporter.DEFAULT_STYLES).run(
                ImportOptions.of(dir.resolve("out")), ImportListener.NONE);
        Path eval = dir.resolve("out/eval");
        dev.align.data.folder.ImageFolder folder = dev.align.data.folder.ImageFolder.open(eval);
        assertEquals(List.of("1F44B", "1F44B-1F3FF", "1F98A"), folder.classFolders());
        assertEquals(List.of("waving hand", "waving hand: dark skin tone", "fox face face"),
                folder.classNames());
        assertArrayEquals(new int[] {2, 2, 2}, folder.imagesPerClass(), "google and twitter");
        assertEquals(3, summary.evalClasses());
        assertEquals(EmojiImporter.TEMPLATES, java.nio.file.Files.readAllLines(
                eval.resolve("templates.txt")));
        assertEquals(List.of("fox face face", "waving hand", "waving hand: dark skin tone"),
                java.nio.file.Files.readAllLines(dir.resolve("out/labels.txt")));
        String json = ImportFixtures.json(ImportFixtures.inSourceOrder(
                ImportFixtures.samples(summary)).get(4));
        assertTrue(json.contains("\"hexcode\":\"1F44B-1F3FF\"") && json.contains(
                "\"emoji\":\"\uD83D\uDC4B\uD83C\uDFFF\"") && json.contains("\"skinTone\":5")
                && json.contains("\"category\":\"People & Body\"") && json.contains("\"index\":4"),
                json);

        ImportSummary one = new EmojiImporter(source, EmojiImporter.DEFAULT_STYLES, 1).run(
                ImportOptions.of(dir.resolve("one")), ImportListener.NONE);
        assertEquals(3, one.evalImages(), "at most one drawing per class");
    }

    @Test
    void aLimitStopsEarly() throws IOException {
        ImportSummary summary = new EmojiImporter(source,
                List.of(EmojiImporter.Style.TWITTER)).run(
                ImportOptions.of(dir.resolve("out")).withLimit(2), ImportListener.NONE);
        assertEquals(2, summary.samples());
        assertEquals(Map.of(), summary.skipped());
    }

    @Test
    void aMissingPackageNamesTheFileAndTheFetchCommand() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EmojiImporter(dir.resolve("nowhere"), List.of(EmojiImporter.Style.GOOGLE))
                        .run(ImportOptions.of(dir.resolve("out")), ImportListener.NONE));
        assertTrue(e.getMessage().contains("emojibase-data/en/data.json"), e.getMessage());
        assertTrue(e.getMessage().contains("tools/fetch/fetch emoji"), e.getMessage());
    }

    @Test
    void normalisesVariationSelectors() {
        assertEquals("2764", EmojiImporter.normalise("2764-fe0f"));
        assertEquals("1F3F3-200D-1F308", EmojiImporter.normalise("1F3F3-FE0F-200D-1F308"));
    }
    /** German names two of the three labelled emoji (no skin tone); Japanese all three. */
    private void writeLanguages() throws IOException {
        write(source.resolve("emojibase-data/de/data.json"), """
                [{"label": "Fuchsgesicht", "hexcode": "1F98A", "tags": ["Fuchs", "Gesicht", "Tier"]},
                 {"label": "winkende Hand", "hexcode": "1F44B", "tags": ["Hand", "winken"]}]
                """);
        write(source.resolve("emojibase-data/ja/data.json"), """
                [{"label": "キツネの顔", "hexcode": "1F98A", "tags": ["キツネ", "動物"]},
                 {"label": "手を振る", "hexcode": "1F44B", "tags": ["手"],
                  "skins": [{"label": "手を振る: 濃い肌色", "hexcode": "1F44B-1F3FF"}]}]
                """);
    }

    private static String field(Sample sample, String key) throws IOException {
        return dev.align.core.json.Json.mapper().readTree(ImportFixtures.json(sample)).path(key)
                .asText(null);
    }

    @Test
    void languagesCaptionEveryDrawingOncePerLanguageAndRecordTheLanguage() throws IOException {
        writeLanguages();
        long[] last = new long[3];
        ImportSummary summary = new EmojiImporter(source, List.of(EmojiImporter.Style.GOOGLE),
                Integer.MAX_VALUE, List.of("en", "de", "ja")).run(
                ImportOptions.of(dir.resolve("out")).withSeed(9), (written, skipped, total) -> {
                    last[0] = written;
                    last[1] = skipped;
                    last[2] = total;
                });
        assertEquals(3 + 2 + 3, summary.samples());
        // progress counts pairs, so its total is a pair per drawing and language, not drawings
        assertEquals(8, last[0]);
        assertEquals(6 * 3, last[2], "6 drawings in 3 languages");
        assertTrue(last[0] + last[1] <= last[2], "progress past its total: " + Arrays.toString(last));
        assertEquals(Map.of("no_cldr_label", 1L, "corrupt_image", 1L, "missing_image", 1L,
                "no_cldr_label_de", 1L), summary.skipped());
        Map<String, List<Sample>> byLang = new java.util.TreeMap<>();
        for (Sample s : ImportFixtures.inSourceOrder(ImportFixtures.samples(summary))) {
            byLang.computeIfAbsent(field(s, "lang"), k -> new java.util.ArrayList<>()).add(s);
        }
        assertEquals(java.util.Set.of("en", "de", "ja"), byLang.keySet(), "lang on every sample");
        assertEquals(List.of("Fuchsgesicht", "winkende Hand"),
                byLang.get("de").stream().map(s -> field0(s, "label")).toList());
        for (Sample s : byLang.get("de")) {
            String label = field0(s, "label");
            assertTrue(s.caption().equals(label) || s.caption().startsWith(label + ", "),
                    s.caption());
            for (String part : s.caption().split(", ")) {
                assertTrue(part.equals(label) || List.of("Fuchs", "Gesicht", "Tier", "Hand",
                        "winken").contains(part), s.caption());
            }
        }
        assertEquals("手を振る: 濃い肌色", field(byLang.get("ja").get(2), "label"));
        assertEquals(3, byLang.get("ja").stream().mapToLong(ImportFixtures::index).distinct()
                .count());
        // English captions are those of the English-only import with the same seed.
        ImportSummary englishOnly = new EmojiImporter(source,
                List.of(EmojiImporter.Style.GOOGLE)).run(
                ImportOptions.of(dir.resolve("en")).withSeed(9), ImportListener.NONE);
        List<Sample> en = ImportFixtures.inSourceOrder(ImportFixtures.samples(englishOnly));
        assertEquals(en.stream().map(Sample::caption).toList(),
                byLang.get("en").stream().map(Sample::caption).toList());
        assertEquals(null, field(en.get(0), "lang"), "no lang key without languages");

        Path out = dir.resolve("out");
        assertEquals(List.of("Fuchsgesicht", "winkende Hand"),
                java.nio.file.Files.readAllLines(out.resolve("labels.de.txt")));
        assertEquals(List.of("1F44B\twinkende Hand", "1F98A\tFuchsgesicht"),
                java.nio.file.Files.readAllLines(out.resolve("eval/classnames.de.txt")));
        assertEquals(List.of("1F44B\t手を振る", "1F44B-1F3FF\t手を振る: 濃い肌色",
                "1F98A\tキツネの顔"),
                java.nio.file.Files.readAllLines(out.resolve("eval/classnames.ja.txt")));
        assertEquals(List.of("{}"), java.nio.file.Files.readAllLines(
                out.resolve("eval/templates.ja.txt")));
        assertEquals(EmojiImporter.TEMPLATES, java.nio.file.Files.readAllLines(
                out.resolve("eval/templates.en.txt")));
        assertEquals(dev.align.data.text.BpeTokenizer.Words.MULTILINGUAL,
                dev.align.data.text.BpeTokenizer.load(Path.of(summary.tokenizer())).words());
        assertEquals(dev.align.data.text.BpeTokenizer.Words.CLIP,
                dev.align.data.text.BpeTokenizer.load(Path.of(englishOnly.tokenizer())).words());
    }

    private static String field0(Sample s, String key) {
        try {
            return field(s, key);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aMissingLanguageOrABadCodeIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EmojiImporter(source, List.of(EmojiImporter.Style.GOOGLE), 1,
                        List.of("en", "fr"))
                        .run(ImportOptions.of(dir.resolve("out")), ImportListener.NONE));
        assertTrue(e.getMessage().contains("'fr'")
                && e.getMessage().contains("tools/fetch/fetch emoji-languages"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new EmojiImporter(source,
                List.of(EmojiImporter.Style.GOOGLE), 1, List.of("en", "EN_us")));
        assertTrue(e.getMessage().contains("'EN_us'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new EmojiImporter(source,
                List.of(EmojiImporter.Style.GOOGLE), 1, List.of("de", "de")));
        assertTrue(e.getMessage().contains("repeat"), e.getMessage());
        assertEquals(List.of("en", "de", "zh-hant"),
                EmojiLabels.parseLanguages(" en, de,en ,zh-hant"));
    }
}
