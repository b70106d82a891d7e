package dev.align.data.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.core.testing.fuzz.FuzzHarness;
import dev.align.core.testing.fuzz.JsonMutator;
import dev.align.core.testing.fuzz.Mutator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes emojibase's per-language label files ({@code emojibase-data/LANG/data.json}, read by
 * {@link EmojiLabels#read}) with byte- and JSON-level mutations: labels, tags and hexcodes of the
 * wrong type, line breaks inside labels, skins that are not arrays, invalid UTF-8, byte-order
 * marks, cut and nested JSON. Reading must give labels that can be written one per line
 * ({@code labels.LANG.txt}, {@code classnames.LANG.txt}), or an {@link IllegalArgumentException}
 * that names the file.
 */
class EmojiLabelsFuzzTest {

    private static final FuzzHarness HARNESS = FuzzHarness.builder("emojibase labels (data.json)")
            .allows(IllegalArgumentException.class)
            .maxAllocated(n -> 64 * n + (16L << 20), "64 x file + 16 MiB")
            .build();
    private static final List<byte[]> SEEDS = List.of(
            utf8("""
                    [{"label": "winkende Hand", "hexcode": "1F44B", "tags": ["hallo", "hand",
                      "winken"], "emoji": "👋", "text": "", "type": 1, "order": 188, "group": 1,
                      "skins": [{"label": "winkende Hand: helle Hautfarbe", "hexcode": "1F44B-1F3FB",
                                 "emoji": "👋🏻", "tone": 1},
                                {"label": "winkende Hand: dunkle Hautfarbe", "hexcode": "1F44B-1F3FF",
                                 "tone": 5}]},
                     {"label": "Fuchs", "hexcode": "1F98A", "tags": ["Fuchs", "Gesicht"]},
                     {"label": "rotes Herz", "hexcode": "2764-FE0F", "tags": ["Herz"]},
                     {"hexcode": "1F3FB", "label": "helle Hautfarbe"}]"""),
            utf8("""
                    [{"label": "ใบหน้ายิ้ม", "hexcode": "1F600", "tags": ["ยิ้ม", "หน้า"]},
                     {"label": "キツネの顔", "hexcode": "1f98a", "tags": ["キツネ", "顔"]},
                     {"label": "हाथ हिलाना", "hexcode": "1F44B", "tags": ["हाथ"]}]"""),
            utf8("[]"));

    @TempDir
    static Path dir;

    @Test
    void labelFilesReadAsOneLineLabelsOrAreRejectedNamingTheFile() {
        Path emojibase = dir.resolve("emojibase-data");
        Path file = emojibase.resolve("de").resolve("data.json");
        HARNESS.check(EmojiLabelsFuzzTest::mutate, input -> {
            Files.createDirectories(file.getParent());
            Files.write(file, input);
            try {
                EmojiLabels labels = EmojiLabels.read(emojibase, "de");
                assertEquals(labels.size(), labels.all().size());
                for (Map.Entry<String, EmojiLabels.Label> e : labels.all().entrySet()) {
                    assertFalse(e.getKey().isEmpty(), "an empty hexcode");
                    assertEquals(EmojiLabels.normalise(e.getKey()), e.getKey());
                    assertOneLine(e.getValue().label());
                    e.getValue().tags().forEach(EmojiLabelsFuzzTest::assertOneLine);
                    assertEquals(e.getValue(), labels.get(e.getKey()));
                }
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().contains(file.toString())
                        || e.getMessage().contains("de/data.json"), "the message names the file: "
                        + e.getMessage());
                throw e;
            }
        });
    }

    /** What one line of labels.LANG.txt or a caption needs: text, no break, no outer space. */
    private static void assertOneLine(String text) {
        assertFalse(text.isEmpty(), "an empty label or tag");
        assertEquals(text.strip(), text, "label or tag with outer white space");
        assertTrue(text.chars().noneMatch(c -> c == '\n' || c == '\r' || c == '\t'
                || c == 0x0B || c == '\f'), "label or tag with a line break or tab: " + text);
    }

    @Test
    void aLabelWithALineBreakStaysOnOneLine() throws IOException {
        // Found by the fuzzer: a tag "हाथ\r\n" kept its line break and a tag that was no string
        // became an empty one; a label was stripped at its ends only, so a break inside split
        // labels.de.txt in two lines.
        Path emojibase = dir.resolve("regression-break");
        Files.createDirectories(emojibase.resolve("de"));
        Files.writeString(emojibase.resolve("de/data.json"), "[{\"label\": \" rotes\\n\\tHerz \", "
                + "\"hexcode\": \"2764-FE0F\", \"tags\": [\"Herz\\r\\n\", \"  \", 7, {\"a\": 1}], "
                + "\"skins\": {\"label\": \"x\"}}, {\"label\": [\"Fuchs\"], \"hexcode\": \"1F98A\"}, "
                + "{\"label\": \"Hund\", \"hexcode\": 128054}]");
        EmojiLabels labels = EmojiLabels.read(emojibase, "de");
        assertEquals(new EmojiLabels.Label("rotes Herz", List.of("Herz")), labels.get("2764"));
        assertEquals(1, labels.size(), "a label or hexcode that is no string is left out");
    }

    @Test
    void aFileThatIsNotJsonOrNotUtf8IsNamedWithTheFetchThatRepairsIt() throws IOException {
        // Found by the fuzzer: Jackson's own JsonParseException, an IOException naming neither
        // the file nor the fix, escaped read.
        Path emojibase = dir.resolve("regression-json");
        Path file = emojibase.resolve("ja/data.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "[{\"label\": \"顔\", \"hexcode\": ");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmojiLabels.read(emojibase, "ja"));
        assertTrue(e.getMessage().contains(file + " are not valid JSON")
                && e.getMessage().contains("tools/fetch/fetch emoji-languages"), e.getMessage());
        Files.write(file, new byte[] {'[', '"', (byte) 0xC3, '"', ']'});
        e = assertThrows(IllegalArgumentException.class, () -> EmojiLabels.read(emojibase, "ja"));
        assertTrue(e.getMessage().contains(file + " is not valid UTF-8"), e.getMessage());
    }

    @AfterAll
    static void report() {
        HARNESS.writeReport();
    }

    private static byte[] mutate(Random r) {
        Mutator m = new Mutator(r);
        byte[] seed = SEEDS.get(r.nextInt(SEEDS.size()));
        return r.nextInt(3) == 0 ? m.mutate(seed, SEEDS)
                : new JsonMutator(m).mutate(JsonMutator.parse(new String(seed,
                        StandardCharsets.UTF_8)), SEEDS);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
