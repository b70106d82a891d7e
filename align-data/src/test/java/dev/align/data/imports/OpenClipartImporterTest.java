package dev.align.data.imports;

import static dev.align.data.imports.ImportFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.data.shards.Sample;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenClipartImporterTest {

    @TempDir
    Path dir;

    /** Openclipart's metadata shape: the Work's title, not its creator's or publisher's. */
    private static String svg(String title, String description, String... keywords) {
        StringBuilder bag = new StringBuilder();
        for (String k : keywords) {
            bag.append("<rdf:li>").append(k).append("</rdf:li>");
        }
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [
                  <!ENTITY ns_svg "http://www.w3.org/2000/svg">
                ]>
                <svg xmlns="&ns_svg;" xmlns:dc="http://purl.org/dc/elements/1.1/"
                     xmlns:cc="http://web.resource.org/cc/"
                     xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
                  <metadata><rdf:RDF><cc:Work rdf:about="">
                    <dc:title>%s</dc:title>
                    <dc:description>%s</dc:description>
                    <dc:subject><rdf:Bag>%s</rdf:Bag></dc:subject>
                    <dc:creator><cc:Agent><dc:title>Some Author</dc:title></cc:Agent></dc:creator>
                    <dc:publisher><cc:Agent><dc:title>Open Clip Art Library</dc:title></cc:Agent></dc:publisher>
                  </cc:Work></rdf:RDF></metadata>
                  <rect width="10" height="10"/>
                </svg>
                """.formatted(title, description, bag);
    }

    @Test
    void readsTheWorksTitleDescriptionAndKeywords() throws Exception {
        OpenClipartImporter.Metadata m = OpenClipartImporter.metadata(
                OpenClipartImporter.xmlFactory(), svg("Red apple", "A shiny apple &amp; leaf",
                        "fruit", "unsorted", "food").getBytes(StandardCharsets.UTF_8));
        assertEquals("Red apple", m.title());
        assertEquals("A shiny apple & leaf", m.description());
        assertEquals(List.of("fruit", "unsorted", "food"), m.keywords());
        assertEquals("Red apple. A shiny apple & leaf. fruit, food", m.caption());
    }

    @Test
    void importsDrawingsWithNoisyCaptionsSubsamplingHugeOnesAndSkippingBadOnes()
            throws IOException {
        Path root = dir.resolve("oc/usr/share/openclipart");
        write(root.resolve("png/food/apple.png"), ImportFixtures.png(1200, 600, 0xCC2222));
        write(root.resolve("svg/food/apple.svg"), svg("Red apple", "", "fruit"));
        write(root.resolve("png/food/blank.png"), ImportFixtures.png(20, 20, 0));
        write(root.resolve("svg/food/blank.svg"), svg("", "", "unsorted"));
        write(root.resolve("png/signs/bomb.png"), ImportFixtures.pngHeader(40_000, 40_000));
        write(root.resolve("svg/signs/bomb.svg"), svg("Stop sign", "huge", "sign"));
        write(root.resolve("png/signs/cut.png"), java.util.Arrays.copyOf(
                ImportFixtures.png(64, 64, 0x123456), 60));
        write(root.resolve("svg/signs/cut.svg"), svg("Cut", "", ""));
        write(root.resolve("png/signs/nosvg.png"), ImportFixtures.png(8, 8, 0));
        write(root.resolve("png/signs/nometa.png"), ImportFixtures.png(8, 8, 0));
        write(root.resolve("svg/signs/nometa.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        write(root.resolve("png/signs/badxml.png"), ImportFixtures.png(8, 8, 0));
        write(root.resolve("svg/signs/badxml.svg"), "<svg><metadata>");
        write(root.resolve("png/tiny/dot.png"), ImportFixtures.png(3, 2, 0x00FF00));
        write(root.resolve("svg/tiny/dot.svg"), svg("dot_tux_01", "a dot", ""));

        ImportSummary summary = new OpenClipartImporter(dir.resolve("oc")).run(
                ImportOptions.of(dir.resolve("out")).withImageSize(100), ImportListener.NONE);
        assertEquals(Map.of("empty_caption", 1L, "too_large", 1L, "corrupt_image", 1L,
                "missing_metadata", 2L, "bad_metadata", 1L), summary.skipped());
        assertEquals(2, summary.samples());
        List<Sample> samples = ImportFixtures.inSourceOrder(ImportFixtures.samples(summary));
        assertEquals("Red apple. fruit", samples.get(0).caption());
        BufferedImage apple = ImportFixtures.image(samples.get(0));
        assertEquals(100, apple.getWidth());
        assertEquals(50, apple.getHeight());
        assertEquals(0xCC2222, apple.getRGB(50, 25) & 0xFFFFFF);
        assertTrue(ImportFixtures.json(samples.get(0)).contains("\"category\":\"food\""));
        assertEquals("dot_tux_01. a dot", samples.get(1).caption());
        assertEquals(3, ImportFixtures.image(samples.get(1)).getWidth(), "never enlarged");
        assertNull(summary.eval());
    }
}
