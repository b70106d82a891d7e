package dev.align.data.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.align.data.shards.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The importers on the real sets, when {@code tools/fetch/fetch KIND} has filled the cache
 * ({@code $ALIGN_CACHE} or {@code ~/.cache/align}); skipped with a message otherwise, so CI needs
 * no download. Imports the first 40 samples of each.
 */
class RealImportersTest {

    @TempDir
    Path dir;

    private static Path cache(String kind) {
        String env = System.getenv("ALIGN_CACHE");
        Path root = env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "align");
        return root.resolve(kind);
    }

    @ParameterizedTest
    @ValueSource(strings = {"emoji", "openmoji", "openclipart", "fashion-mnist"})
    void importsTheFirstSamplesOfTheRealSet(String kind) throws IOException {
        Path source = cache(kind);
        assumeTrue(Files.isRegularFile(source.resolve(".complete")), "no " + kind + " in "
                + source + ": run tools/fetch/fetch " + kind + " to include this test");
        Importer importer = switch (kind) {
            case "emoji" -> new EmojiImporter(source, EmojiImporter.DEFAULT_STYLES);
            case "openmoji" -> new OpenMojiImporter(source);
            case "openclipart" -> new OpenClipartImporter(source);
            default -> new FashionMnistImporter(source, 2);
        };
        ImportSummary summary = importer.run(ImportOptions.of(dir).withLimit(40),
                ImportListener.NONE);
        assertEquals(40, summary.samples(), summary.toString());
        List<Sample> samples = ImportFixtures.samples(summary);
        assertEquals(40, samples.size());
        for (Sample s : samples) {
            assertTrue(!s.caption().isBlank() && ImportFixtures.image(s).getWidth() > 0);
        }
    }
}
