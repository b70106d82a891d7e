package dev.align.data.imports;

import static dev.align.data.imports.ImportFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.align.data.shards.Sample;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MdiImporterTest {

    @TempDir
    Path dir;

    private static final String SQUARE = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M6 6H18V18H6Z" /></svg>
            """;

    private Path fixture() throws IOException {
        Path source = dir.resolve("mdi");
        write(source.resolve("meta.json"), """
                [{"name": "square-box", "codepoint": "F0001", "aliases": ["block-outline"],
                  "tags": ["Shape"], "deprecated": false},
                 {"name": "broken-icon", "aliases": [], "tags": []},
                 {"name": "lost-icon", "aliases": [], "tags": []},
                 {"name": "", "aliases": [], "tags": []},
                 {"name": "../escape", "aliases": [], "tags": []}]
                """);
        write(source.resolve("svg/square-box.svg"), SQUARE);
        write(source.resolve("svg/broken-icon.svg"), "<svg><path unclosed");
        write(source.resolve("escape.svg"), SQUARE);
        return source;
    }

    @Test
    void rendersIconsBlackOnTheBackgroundWithNamesAsCaptions() throws IOException {
        ImportSummary summary = new MdiImporter(fixture()).run(
                ImportOptions.of(dir.resolve("out")).withImageSize(24), ImportListener.NONE);
        assertEquals(1, summary.samples());
        assertEquals(Map.of("corrupt_svg", 1L, "missing_image", 2L, "empty_caption", 1L),
                summary.skipped());
        Sample sample = ImportFixtures.samples(summary).get(0);
        // The label in words, then zero to three of: the alias in words, the tag lower-cased.
        Set<String> allowed = Set.of("square box", "square box, block outline",
                "square box, shape", "square box, block outline, shape",
                "square box, shape, block outline");
        assertTrue(allowed.contains(sample.caption()), sample.caption());
        BufferedImage image = ImportFixtures.image(sample);
        assertEquals(24, image.getWidth());
        assertEquals(24, image.getHeight());
        assertEquals(0x000000, image.getRGB(12, 12) & 0xFFFFFF);
        assertEquals(0xFFFFFF, image.getRGB(2, 2) & 0xFFFFFF);
        assertEquals(0x000000, image.getRGB(6, 12) & 0xFFFFFF);
        assertEquals(0xFFFFFF, image.getRGB(5, 12) & 0xFFFFFF);
        String json = ImportFixtures.json(sample);
        assertTrue(json.startsWith("{\"name\":\"square-box\",\"label\":\"square box\","
                + "\"aliases\":[\"block-outline\"],\"tags\":[\"Shape\"],\"codepoint\":\"F0001\","
                + "\"deprecated\":false}"), json);
    }

    @Test
    void sameSeedSameCaptions() throws IOException {
        Path source = fixture();
        String a = ImportFixtures.samples(new MdiImporter(source).run(ImportOptions.of(
                dir.resolve("a")).withSeed(7), ImportListener.NONE)).get(0).caption();
        String b = ImportFixtures.samples(new MdiImporter(source).run(ImportOptions.of(
                dir.resolve("b")).withSeed(7), ImportListener.NONE)).get(0).caption();
        assertEquals(a, b);
    }

    @Test
    void namesTheFetchCommandWhenTheSourceIsMissing() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MdiImporter(dir.resolve("nothing")).run(ImportOptions.of(
                        dir.resolve("out")), ImportListener.NONE));
        assertTrue(e.getMessage().contains("tools/fetch/fetch mdi"), e.getMessage());
    }

    @Test
    void wordsOfAnIconName() {
        assertEquals("account network outline", MdiImporter.words("account-network-outline"));
        assertEquals("numeric 1 box", MdiImporter.words("numeric-1-box"));
    }

    /** The real set, when {@code tools/fetch/fetch mdi} has filled the cache. */
    @Test
    void importsTheFirstIconsOfTheRealSet() throws IOException {
        String env = System.getenv("ALIGN_CACHE");
        Path source = (env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "align")).resolve("mdi");
        assumeTrue(Files.isRegularFile(source.resolve(".complete")), "no mdi in " + source
                + ": run tools/fetch/fetch mdi to include this test");
        ImportSummary summary = new MdiImporter(source).run(ImportOptions.of(dir.resolve("real"))
                .withLimit(40), ImportListener.NONE);
        assertEquals(40, summary.samples(), summary.toString());
        List<Sample> samples = ImportFixtures.samples(summary);
        for (Sample s : samples) {
            BufferedImage image = ImportFixtures.image(s);
            assertEquals(64, image.getWidth());
            int dark = 0;
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    dark += (image.getRGB(x, y) & 0xFF) < 128 ? 1 : 0;
                }
            }
            assertTrue(dark > 20, s.key() + " rendered almost blank: " + dark + " dark pixels");
        }
    }
}
