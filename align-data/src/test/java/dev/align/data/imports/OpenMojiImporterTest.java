package dev.align.data.imports;

import static dev.align.data.imports.ImportFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.data.shards.Sample;
import java.awt.image.BufferedImage;
import java.io.IOException;
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
        assertEquals(null, summary.eval(), "no classes, no eval set");
    }
}
