package dev.align.eval.zeroshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.core.testing.fuzz.FuzzHarness;
import dev.align.core.testing.fuzz.Mutator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the per-language files of a multilingual zero-shot folder, {@code classnames.LANG.txt}
 * ({@code folder<TAB>name} lines) and {@code templates.LANG.txt}, read together by
 * {@link MultilingualZeroShot#read}, with byte-level mutations: missing and doubled tabs, blank
 * names, repeated folders, CR, byte-order marks, invalid UTF-8, empty and cut files. Reading must
 * give a language whose every name and template can be used, or an
 * {@link IllegalArgumentException} that names the file.
 */
class MultilingualFilesFuzzTest {

    private static final FuzzHarness HARNESS = FuzzHarness.builder(
            "zero-shot classnames.LANG.txt + templates.LANG.txt")
            .allows(IllegalArgumentException.class)
            .maxAllocated(n -> 32 * n + (16L << 20), "32 x files + 16 MiB")
            .build();
    private static final List<byte[]> NAMES = List.of(
            utf8("1F34E\troter Apfel\n1F436\tHundegesicht\n1F98A\tFuchs\n"),
            utf8("\uFEFF1F34E\t赤いリンゴ\r\n1F436\t犬の顔\r\n"),
            utf8("1F600\tใบหน้ายิ้ม\n1F44B-1F3FB\tहाथ हिलाना: हल्की त्वचा"));
    private static final List<byte[]> TEMPLATES = List.of(
            utf8("{}\nein Emoji von {}\n"), utf8("\uFEFF{} の絵文字\r\n{}\r\n"), utf8("{}"));

    @TempDir
    static Path dir;

    @Test
    void perLanguageFilesReadOrAreRejectedNamingTheFile() {
        Path names = dir.resolve(MultilingualZeroShot.classNamesFile("de"));
        Path templates = dir.resolve(MultilingualZeroShot.templatesFile("de"));
        HARNESS.check(MultilingualFilesFuzzTest::generate, input -> {
            ByteBuffer in = ByteBuffer.wrap(input);
            boolean withTemplates = in.get() != 0;
            byte[] first = new byte[Math.min(in.getInt(), in.remaining())];
            in.get(first);
            Files.write(names, first);
            if (withTemplates) {
                Files.write(templates, Arrays.copyOfRange(input, in.position(), input.length));
            } else {
                Files.deleteIfExists(templates);
            }
            try {
                MultilingualZeroShot.Language l = MultilingualZeroShot.read(dir, "de");
                assertEquals("de", l.code());
                assertFalse(l.classNames().isEmpty());
                for (Map.Entry<String, String> e : l.classNames().entrySet()) {
                    assertFalse(e.getKey().isEmpty() || e.getKey().contains("\t")
                            || e.getKey().contains("\n"), "folder '" + e.getKey() + "'");
                    assertFalse(e.getValue().isBlank() || e.getValue().contains("\t")
                            || e.getValue().contains("\n"), "name '" + e.getValue() + "'");
                    assertEquals(e.getValue().strip(), e.getValue());
                }
                assertFalse(l.templates().isEmpty());
                l.templates().forEach(t -> assertTrue(t.contains(Templates.PLACEHOLDER), t));
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().contains(names.toString())
                        || e.getMessage().contains(templates.toString()), "the message names "
                        + "the file: " + e.getMessage());
                throw e;
            }
        });
    }

    @Test
    void emptyFilesAndBlankNamesAreNamedWithTheirFileAndLine() throws IOException {
        // Found by the fuzzer: an empty file failed in the Language record ("language de names
        // no class") without naming the file. A name of spaces only failed there the same way
        // (found by reading, after the fuzzer pointed at the record's checks).
        Path names = dir.resolve(MultilingualZeroShot.classNamesFile("nl"));
        Files.writeString(names, "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MultilingualZeroShot.read(dir, "nl"));
        assertTrue(e.getMessage().contains(names + " names no class"), e.getMessage());
        Files.writeString(names, "1F34E\trode appel\n1F436\t   \n");
        e = assertThrows(IllegalArgumentException.class, () -> MultilingualZeroShot.read(dir, "nl"));
        assertTrue(e.getMessage().contains(names + " line 2: the name of folder '1F436' is blank"),
                e.getMessage());
    }

    @Test
    void aCodeThatIsAPathIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MultilingualZeroShot.read(dir, "../../etc/x"));
        assertTrue(e.getMessage().contains("'../../etc/x' is no language code"), e.getMessage());
    }

    @AfterAll
    static void report() {
        HARNESS.writeReport();
    }

    /** A flag (templates file or not), the class names file's length, then both files. */
    private static byte[] generate(Random r) {
        Mutator m = new Mutator(r);
        byte[] names = r.nextInt(4) == 0 ? NAMES.get(r.nextInt(NAMES.size()))
                : m.mutate(NAMES.get(r.nextInt(NAMES.size())), NAMES);
        byte[] templates = r.nextInt(3) == 0 ? TEMPLATES.get(r.nextInt(TEMPLATES.size()))
                : m.mutate(TEMPLATES.get(r.nextInt(TEMPLATES.size())), TEMPLATES);
        boolean withTemplates = r.nextInt(4) != 0;
        ByteBuffer out = ByteBuffer.allocate(5 + names.length
                + (withTemplates ? templates.length : 0));
        out.put((byte) (withTemplates ? 1 : 0)).putInt(names.length).put(names);
        if (withTemplates) {
            out.put(templates);
        }
        return out.array();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
