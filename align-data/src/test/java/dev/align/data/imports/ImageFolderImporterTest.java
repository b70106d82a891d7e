package dev.align.data.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.data.shards.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderImporterTest {

    @TempDir
    Path dir;

    /** Class "a": 3 red images; class "b": 2 blue ones and a corrupt file; readable names. */
    private Path folder() throws IOException {
        Path root = dir.resolve("folder");
        for (int i = 1; i <= 3; i++) {
            ImportFixtures.write(root.resolve("a/a" + i + ".png"), ImportFixtures.png(4, 4, 0xFF0000));
        }
        for (int i = 1; i <= 2; i++) {
            ImportFixtures.write(root.resolve("b/b" + i + ".png"), ImportFixtures.png(4, 4, 0x0000FF));
        }
        ImportFixtures.write(root.resolve("b/zz.png"), new byte[] {1, 2, 3, 4});
        ImportFixtures.write(root.resolve("classnames.txt"), "a\tred apple\nb\tblue ball\n");
        return root;
    }

    @Test
    void holdsOutTheFirstImagesOfEachClassAndCaptionsTheRestWithReadableNames() throws IOException {
        ImportSummary summary = new ImageFolderImporter(folder(), 1).run(
                ImportOptions.of(dir.resolve("out")), ImportListener.NONE);
        assertEquals(3, summary.samples(), "a2, a3, b2");
        assertEquals(Map.of("corrupt_image", 1L), summary.skipped());
        List<Sample> samples = ImportFixtures.samples(summary);
        Map<String, Long> perClass = samples.stream().collect(Collectors.groupingBy(
                s -> s.caption().contains("red apple") ? "a" : s.caption().contains("blue ball")
                        ? "b" : "?", Collectors.counting()));
        assertEquals(Map.of("a", 2L, "b", 1L), perClass);
        for (Sample s : samples) {
            String red = s.caption().contains("red apple") ? "red" : "blue";
            int rgb = ImportFixtures.image(s).getRGB(1, 1) & 0xFFFFFF;
            assertEquals(red.equals("red") ? 0xFF0000 : 0x0000FF, rgb, s.caption());
            assertTrue(ImportFixtures.json(s).contains("\"file\""), ImportFixtures.json(s));
        }
        Path eval = dir.resolve("out/eval");
        assertEquals(Set.of("a", "b", "classnames.txt", "templates.txt"), Files.list(eval)
                .map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        assertEquals(List.of("a\tred apple", "b\tblue ball"),
                Files.readAllLines(eval.resolve("classnames.txt")));
        assertEquals("a photo of a {}.", Files.readAllLines(eval.resolve("templates.txt")).get(0));
        assertTrue(Files.isRegularFile(eval.resolve("a/00000.png")));
        assertTrue(Files.isRegularFile(eval.resolve("b/00000.png")));
    }

    @Test
    void theOrderOfTheShardsDependsOnTheSeedOnly() throws IOException {
        Path root = folder();
        List<String> first = keys(root, 7, "x");
        assertEquals(first, keys(root, 7, "y"));
        assertEquals(5, first.size(), "nothing held out, the corrupt file skipped");
        boolean reordered = false;
        for (long seed = 8; seed < 14 && !reordered; seed++) {
            reordered = !first.equals(keys(root, seed, "s" + seed));
        }
        assertTrue(reordered, "another seed must give another order");
    }

    @Test
    void aMissingSourceIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ImageFolderImporter(null, 0));
        assertTrue(e.getMessage().contains("--source"), e.getMessage());
    }

    private List<String> keys(Path root, long seed, String out) throws IOException {
        ImportSummary s = new ImageFolderImporter(root, 0).run(
                ImportOptions.of(dir.resolve(out)).withSeed(seed), ImportListener.NONE);
        return ImportFixtures.samples(s).stream().map(Sample::caption).toList();
    }
}
