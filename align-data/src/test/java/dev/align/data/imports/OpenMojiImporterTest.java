package dev.align.data.imports;

import static dev.align.data.imports.ImportFixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.data.folder.ImageFolder;
import dev.align.data.shards.Sample;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenMojiImporterTest {

    @TempDir
    Path dir;

    @Test
    void rendersSvgsOntoTheBackgroundAndCountsBrokenOnes() throws IOException {
        Path source = dir.resolve("openmoji");
        write(source.resolve("data/openmoji.json"), """
                [{"hexcode": "1F7E5", "annotation": "red square", "tags": "red, square",
                  "openmoji_tags": "box", "group": "symbols", "subgroups": "geometric"},
                 {"hexcode": "E000", "annotation": "broken drawing", "tags": ""},
                 {"hexcode": "E001", "annotation": "lost drawing", "tags": ""},
                 {"hexcode": "E002", "annotation": "", "tags": "nameless"}]
                """);
        // A 72x72 view box with a red square over its middle half, transparent elsewhere.
        write(source.resolve("color/svg/1F7E5.svg"), """
                <svg id="emoji" viewBox="0 0 72 72" xmlns="http://www.w3.org/2000/svg">
                  <rect x="18" y="18" width="36" height="36" fill="#FF0000"/>
                </svg>
                """);
        write(source.resolve("color/svg/E000.svg"), "<svg><rect unclosed");
        write(source.resolve("color/svg/E002.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        ImportSummary summary = new OpenMojiImporter(source).run(
                ImportOptions.of(dir.resolve("out")).withImageSize(32).withBackground(0x0000FF),
                ImportListener.NONE);
        assertEquals(1, summary.samples());
        assertEquals(Map.of("corrupt_svg", 1L, "missing_image", 1L, "empty_caption", 1L),
                summary.skipped());
        Sample sample = ImportFixtures.samples(summary).get(0);
        String caption = sample.caption();
        assertTrue(caption.equals("red square") || caption.equals("red square, box"), caption);
        BufferedImage image = ImportFixtures.image(sample);
        assertEquals(32, image.getWidth());
        assertEquals(32, image.getHeight());
        assertEquals(0xFF0000, image.getRGB(16, 16) & 0xFFFFFF);
        assertEquals(0x0000FF, image.getRGB(2, 2) & 0xFFFFFF);
        // The square spans 8..24 of 32: pixels just inside and just outside its edge.
        assertEquals(0xFF0000, image.getRGB(8, 16) & 0xFFFFFF);
        assertEquals(0x0000FF, image.getRGB(7, 16) & 0xFFFFFF);
        assertTrue(ImportFixtures.json(sample).contains("\"tags\":[\"red\",\"square\",\"box\"]"),
                ImportFixtures.json(sample));
        assertEquals(1, summary.evalClasses());
        assertEquals(List.of("1F7E5\tred square"),
                Files.readAllLines(dir.resolve("out/eval/classnames.txt")));
    }

    /**
     * The zero-shot set: one class per annotation, named by it; two emoji with the same
     * annotation (as "brain" in Unicode and in OpenMoji's extras) share one class folder, named
     * after the first; the templates and the label list beside it.
     */
    @Test
    void writesAnImageFolderWithOneClassPerAnnotationMergingRepeatedOnes() throws IOException {
        Path source = dir.resolve("openmoji");
        write(source.resolve("data/openmoji.json"), """
                [{"hexcode": "1F9E0", "annotation": "brain", "tags": "", "group": "people-body"},
                 {"hexcode": "1F7E5", "annotation": "red square", "tags": ""},
                 {"hexcode": "1F535", "annotation": "blue circle", "tags": ""},
                 {"hexcode": "E319", "annotation": "brain", "tags": "",
                  "group": "extras-openmoji"}]
                """);
        for (String[] svg : new String[][] {{"1F9E0", "#FF00FF"}, {"1F7E5", "#FF0000"},
                {"1F535", "#0000FF"}, {"E319", "#00FF00"}}) {
            write(source.resolve("color/svg/" + svg[0] + ".svg"), """
                    <svg viewBox="0 0 72 72" xmlns="http://www.w3.org/2000/svg">
                      <rect x="0" y="0" width="72" height="72" fill="%s"/>
                    </svg>
                    """.formatted(svg[1]));
        }
        ImportSummary summary = new OpenMojiImporter(source).run(
                ImportOptions.of(dir.resolve("out")).withImageSize(8), ImportListener.NONE);
        assertEquals(4, summary.samples());
        assertEquals(3, summary.evalClasses(), "the two brains are one class");
        assertEquals(4, summary.evalImages());
        Path eval = dir.resolve("out/eval");
        ImageFolder folder = ImageFolder.open(eval);
        assertEquals(List.of("1F535", "1F7E5", "1F9E0"), folder.classFolders());
        assertEquals(List.of("blue circle", "red square", "brain"), folder.classNames());
        assertArrayEquals(new int[] {1, 1, 2}, folder.imagesPerClass());
        BufferedImage second = javax.imageio.ImageIO.read(eval.resolve("1F9E0/00001.png")
                .toFile());
        assertEquals(0x00FF00, second.getRGB(4, 4) & 0xFFFFFF, "E319 drawn into 1F9E0's class");
        assertEquals(OpenMojiImporter.TEMPLATES, Files.readAllLines(eval.resolve("templates.txt")));
        assertEquals(List.of("blue circle", "brain", "red square"),
                Files.readAllLines(dir.resolve("out/labels.txt")));
        Sample first = ImportFixtures.inSourceOrder(ImportFixtures.samples(summary)).get(3);
        String json = ImportFixtures.json(first);
        assertTrue(json.contains("\"hexcode\":\"E319\"") && json.contains("\"annotation\":\"brain\"")
                && json.contains("\"group\":\"extras-openmoji\""), json);

        ImportSummary none = new OpenMojiImporter(source, 0).run(
                ImportOptions.of(dir.resolve("none")).withImageSize(8), ImportListener.NONE);
        assertNull(none.eval());
        assertTrue(!Files.exists(dir.resolve("none/eval")));
        try (var files = Files.list(dir.resolve("none"))) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(".")),
                    "no temporary files left");
        }
    }
    /** Per-language class names by code point; classes without a CLDR label are left out. */
    @Test
    void namesItsEvalClassesInEachLanguageByCodePoint() throws IOException {
        Path source = dir.resolve("openmoji");
        write(source.resolve("data/openmoji.json"), """
                [{"hexcode": "1F9E0", "annotation": "brain", "tags": ""},
                 {"hexcode": "1F7E5", "annotation": "red square", "tags": ""},
                 {"hexcode": "2764-FE0F", "annotation": "red heart", "tags": ""},
                 {"hexcode": "E319", "annotation": "openmoji extra", "tags": ""}]
                """);
        for (String hex : List.of("1F9E0", "1F7E5", "2764-FE0F", "E319")) {
            write(source.resolve("color/svg/" + hex + ".svg"), """
                    <svg viewBox="0 0 72 72" xmlns="http://www.w3.org/2000/svg">
                      <rect x="0" y="0" width="72" height="72" fill="#FF0000"/>
                    </svg>
                    """);
        }
        Path emojibase = dir.resolve("emojibase-data");
        write(emojibase.resolve("de/data.json"), """
                [{"label": "Gehirn", "hexcode": "1F9E0"},
                 {"label": "rotes Herz", "hexcode": "2764"}]
                """);
        write(emojibase.resolve("th/data.json"), """
                [{"label": "สมอง", "hexcode": "1F9E0"},
                 {"label": "สี่เหลี่ยมสีแดง", "hexcode": "1F7E5"}]
                """);
        new OpenMojiImporter(source, 1, emojibase, List.of("de", "th")).run(
                ImportOptions.of(dir.resolve("out")).withImageSize(8), ImportListener.NONE);
        Path eval = dir.resolve("out/eval");
        assertEquals(List.of("1F9E0\tGehirn", "2764-FE0F\trotes Herz"),
                Files.readAllLines(eval.resolve("classnames.de.txt")), "FE0F ignored");
        assertEquals(List.of("1F7E5\tสี่เหลี่ยมสีแดง", "1F9E0\tสมอง"),
                Files.readAllLines(eval.resolve("classnames.th.txt")));
        assertEquals(List.of("{}"), Files.readAllLines(eval.resolve("templates.de.txt")));
        assertEquals(4, ImageFolder.open(eval).classCount(), "the folder keeps every class");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> new OpenMojiImporter(source, 1, null, List.of("de")));
        assertTrue(e.getMessage().contains("or neither"), e.getMessage());
    }
}
