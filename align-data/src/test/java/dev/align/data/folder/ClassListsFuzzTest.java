package dev.align.data.folder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.core.testing.fuzz.FuzzHarness;
import dev.align.core.testing.fuzz.Mutator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the two class-list files a user hands to evaluation: a list of class names, one per line
 * ({@code --classes FILE}, an import's {@code labels.txt}, {@link ImageFolder#readNameList}), and
 * an ImageFolder's {@code classnames.txt} ({@code folder<TAB>readable name} per line, read by
 * {@link ImageFolder#open}). Byte-level mutations (invalid UTF-8, CR, NUL, tabs, byte-order marks,
 * huge lines, cut files): reading must give the names or an {@link IllegalArgumentException} that
 * names the file.
 */
class ClassListsFuzzTest {

    private static final FuzzHarness NAMES = harness("class name list (labels.txt)");
    private static final FuzzHarness CLASSNAMES = harness("ImageFolder classnames.txt");
    private static final List<String> FOLDERS = List.of("cat", "dog", "n01440764", "red car");
    private static final List<byte[]> NAME_SEEDS = List.of(
            utf8("cat\ndog\nred car\n"), utf8("\uFEFFgrinning face\r\nthumbs up\r\n東京\r\n"),
            utf8("one\n\n  two  \nthree"));
    private static final List<byte[]> CLASSNAMES_SEEDS = List.of(
            utf8("cat\ta cat\ndog\ta dog\nn01440764\ttench\nred car\ta red car\n"),
            utf8("\uFEFFdog\tdog\r\ncat\tcat\r\nred car\tcar\r\nn01440764\tfish"));

    @TempDir
    static Path dir;

    private static FuzzHarness harness(String name) {
        return FuzzHarness.builder(name)
                .allows(IllegalArgumentException.class)
                .maxAllocated(n -> 32 * n + (16L << 20), "32 x file + 16 MiB")
                .build();
    }

    @Test
    void classListsReadOrAreRejectedNamingTheFile() throws IOException {
        Path file = dir.resolve("labels.txt");
        NAMES.check(r -> mutate(r, NAME_SEEDS), input -> {
            Files.write(file, input);
            try {
                List<String> names = ImageFolder.readNameList(file);
                assertFalse(names.isEmpty());
                for (String n : names) {
                    assertTrue(!n.isEmpty() && n.equals(n.strip()) && n.indexOf('\n') < 0
                            && n.indexOf('\uFEFF') < 0, "'" + n + "'");
                }
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
                throw e;
            }
        });
    }

    @Test
    void classNamesFilesReadOrAreRejectedNamingTheFile() throws IOException {
        Path root = dir.resolve("folder");
        for (String f : FOLDERS) {
            Files.createDirectories(root.resolve(f));
            Files.write(root.resolve(f).resolve("1.png"), new byte[] {1});
        }
        Path file = root.resolve(ImageFolder.CLASS_NAMES_FILE);
        CLASSNAMES.check(r -> mutate(r, CLASSNAMES_SEEDS), input -> {
            Files.write(file, input);
            try {
                ImageFolder folder = ImageFolder.open(root);
                assertEquals(FOLDERS.size(), folder.classNames().size());
                for (String n : folder.classNames()) {
                    assertTrue(!n.isBlank(), "'" + n + "'");
                }
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
                throw e;
            }
        });
    }

    @AfterAll
    static void report() {
        NAMES.writeReport();
        CLASSNAMES.writeReport();
    }

    private static byte[] mutate(Random r, List<byte[]> seeds) {
        return new Mutator(r).mutate(seeds.get(r.nextInt(seeds.size())), seeds);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
