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
        for (String style : List.of("google", "twitter")) {
            Path pkg = source.resolve("emoji-datasource-" + style);
            write(pkg.resolve("emoji.json"), """
                    [{"unified": "1F44B", "image": "1f44b.png", "sort_order": 2,
                      "category": "People & Body", "subcategory": "hand-fingers-open",
                      "name": "WAVING HAND SIGN",
                      "skin_variations": {"1F3FF": {"unified": "1F44B-1F3FF",
                                                    "image": "1f44b-1f3ff.png"}}},
                     {"unified": "1F98A", "image": "1f98a.png", "sort_order": 1,
                      "category": "Animals & Nature", "subcategory": "animal-mammal",
                      "name": "FOX FACE"},
                     {"unified": "1FAE8", "image": "1fae8.png", "sort_order": 3,
                      "name": "SHAKING FACE"},
                     {"unified": "2764-FE0F", "non_qualified": "2764", "image": "2764-fe0f.png",
                      "sort_order": 4, "name": "HEAVY BLACK HEART"},
                     {"unified": "1F3F3-FE0F", "image": "1f3f3-fe0f.png", "sort_order": 5,
                      "name": "WAVING WHITE FLAG"}]
                    """);
            Path img = pkg.resolve("img/" + style + "/64");
            int colour = style.equals("google") ? 0xFFFF0000 : 0xFF0000FF;
            write(img.resolve("1f98a.png"), ImportFixtures.transparentPng(8, 8, colour));
            write(img.resolve("1f44b.png"), ImportFixtures.transparentPng(8, 8, colour));
            write(img.resolve("1f44b-1f3ff.png"), ImportFixtures.transparentPng(8, 8, colour));
            write(img.resolve("1fae8.png"), ImportFixtures.transparentPng(8, 8, colour));
            write(img.resolve("2764-fe0f.png"), "<html>not a png</html>");
            // 1f3f3-fe0f.png is missing
        }
    }

    @Test
    void importsLabelledEmojiInSortOrderAndCountsEverySkip() throws IOException {
        ImportSummary summary = new EmojiImporter(source, EmojiImporter.Style.GOOGLE).run(
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
        ImportSummary summary = new EmojiImporter(source, EmojiImporter.Style.BOTH).run(
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
        ImportSummary summary = new EmojiImporter(source, EmojiImporter.Style.BOTH).run(
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

        ImportSummary one = new EmojiImporter(source, EmojiImporter.Style.BOTH, 1).run(
                ImportOptions.of(dir.resolve("one")), ImportListener.NONE);
        assertEquals(3, one.evalImages(), "at most one drawing per class");
    }

    @Test
    void aLimitStopsEarly() throws IOException {
        ImportSummary summary = new EmojiImporter(source, EmojiImporter.Style.TWITTER).run(
                ImportOptions.of(dir.resolve("out")).withLimit(2), ImportListener.NONE);
        assertEquals(2, summary.samples());
        assertEquals(Map.of(), summary.skipped());
    }

    @Test
    void aMissingPackageNamesTheFileAndTheFetchCommand() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EmojiImporter(dir.resolve("nowhere"), EmojiImporter.Style.GOOGLE)
                        .run(ImportOptions.of(dir.resolve("out")), ImportListener.NONE));
        assertTrue(e.getMessage().contains("emojibase-data/en/data.json"), e.getMessage());
        assertTrue(e.getMessage().contains("tools/fetch/fetch emoji"), e.getMessage());
    }

    @Test
    void normalisesVariationSelectors() {
        assertEquals("2764", EmojiImporter.normalise("2764-fe0f"));
        assertEquals("1F3F3-200D-1F308", EmojiImporter.normalise("1F3F3-FE0F-200D-1F308"));
    }
}
