package dev.align.eval.zeroshot;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.core.testing.fuzz.FuzzHarness;
import dev.align.core.testing.fuzz.Mutator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes template files ({@code templates.txt} of a zero-shot folder, {@code --templates FILE},
 * an eval block's {@code templates}) with byte-level mutations: lines without {@code {}}, invalid
 * UTF-8, CR, byte-order marks, cut and huge files. Reading must give templates that each hold
 * {@code {}}, or an {@link IllegalArgumentException} that names the file.
 */
class TemplatesFuzzTest {

    private static final FuzzHarness HARNESS = FuzzHarness.builder("zero-shot templates.txt")
            .allows(IllegalArgumentException.class)
            .maxAllocated(n -> 32 * n + (16L << 20), "32 x file + 16 MiB")
            .build();
    private static final List<byte[]> SEEDS = List.of(
            utf8("a photo of a {}.\nitap of the {}\n{}\n"),
            utf8("\uFEFFan emoji of {}\r\n{} emoji\r\n\r\na drawing of {} and {}"),
            utf8(String.join("\n", Templates.openAiImageNet())));

    @TempDir
    static Path dir;

    @Test
    void templateFilesReadOrAreRejectedNamingTheFile() throws IOException {
        Path file = dir.resolve("templates.txt");
        HARNESS.check(r -> new Mutator(r).mutate(SEEDS.get(r.nextInt(SEEDS.size())), SEEDS),
                input -> {
                    Files.write(file, input);
                    try {
                        List<String> templates = Templates.read(file);
                        assertFalse(templates.isEmpty());
                        for (String t : templates) {
                            assertTrue(t.contains(Templates.PLACEHOLDER) && t.equals(t.strip())
                                    && t.indexOf('\n') < 0 && t.indexOf('\r') < 0, t);
                        }
                    } catch (IllegalArgumentException e) {
                        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
                        throw e;
                    }
                });
    }

    @AfterAll
    static void report() {
        HARNESS.writeReport();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
