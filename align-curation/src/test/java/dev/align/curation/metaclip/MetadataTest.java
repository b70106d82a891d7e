package dev.align.curation.metaclip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataTest {

    @TempDir
    Path tmp;

    @Test
    void buildsUnigramsAndBigramsAboveTheirCountsInMatcherTokens() {
        List<String> captions = List.of(
                "red car, blue sky",      // tokens: red car , _ blue sky  -> no bigram "car blue"
                "Red car on a road",      // case kept: "Red" is another word
                "a red car.",             // "car" then "." : bigram "red car" counted
                "blue sky");
        List<String> entries = Metadata.fromCaptions(captions, 2, 2);
        // unigrams: red 2, car 3, blue 2, sky 2, a 2; bigrams: "red car" 2, "blue sky" 2
        assertEquals(List.of("car", "a", "blue", "blue sky", "red", "red car", "sky"), entries);
        List<String> strict = Metadata.fromCaptions(captions, 3, 3);
        assertEquals(List.of("car"), strict);
        // every built entry matches a caption it was counted in
        MetadataMatcher matcher = MetadataMatcher.build(entries);
        assertArrayEquals(new int[] {0, 2, 3, 4, 5, 6}, matcher.match("red car, blue sky"));
    }

    @Test
    void vocabularyKeepsTheFirstOfDuplicatesInOrder() {
        assertEquals(List.of("b", "a c", "a"), Metadata.fromVocabulary(List.of("b", "a c", "b", "a")));
        assertThrows(IllegalArgumentException.class, () -> Metadata.fromVocabulary(List.of("a", "")));
    }

    @Test
    void writesAndReadsTextAndReadsMetaClipJson() throws IOException {
        Path txt = tmp.resolve("metadata.txt");
        Metadata.write(List.of("cat", "hot dog", "café"), txt);
        assertEquals("cat\nhot dog\ncafé\n", Files.readString(txt, StandardCharsets.UTF_8));
        assertEquals(List.of("cat", "hot dog", "café"), Metadata.read(txt));
        Path json = tmp.resolve("metadata.json");
        Files.writeString(json, "[\"cat\", \"hot dog\"]");
        assertEquals(List.of("cat", "hot dog"), Metadata.read(json));
        Files.writeString(json, "{\"cat\": 1}");
        assertThrows(IllegalArgumentException.class, () -> Metadata.read(json));
        Path bad = tmp.resolve("bad.txt");
        Files.writeString(bad, "cat\n\ndog\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metadata.read(bad));
        assertTrue(e.getMessage().contains("entry 1"), e.getMessage());
    }

    /** Fuzz findings: non-UTF-8 lists and malformed JSON escaped as IOExceptions without the file. */
    @Test
    void rejectsFilesThatAreNotUtf8OrNotJsonNamingTheFile() throws IOException {
        Path txt = tmp.resolve("bad.txt");
        Files.write(txt, new byte[] {'c', 'a', 't', '\n', 'd', (byte) 0xC3, '\n'});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metadata.read(txt));
        assertTrue(e.getMessage().contains(txt + " is not valid UTF-8: byte 0xC3 at offset 5"),
                e.getMessage());
        Path json = tmp.resolve("bad.json");
        Files.writeString(json, "[\"cat\", \"dog\"");
        e = assertThrows(IllegalArgumentException.class, () -> Metadata.read(json));
        assertTrue(e.getMessage().startsWith(json + ": malformed JSON (expected MetaCLIP's "
                + "metadata.json, an array of strings)"), e.getMessage());
    }

    @Test
    void rejectsAJsonEntryWithALoneSurrogateNamingTheEntry() throws IOException {
        // Found by WorldwideMetadataFuzzTest: "\\ud800" in metadata.json was read as an entry no
        // caption can hold, and written back as '?', so a list did not survive write and read.
        Path json = tmp.resolve("surrogate.json");
        Files.writeString(json, "[\"cat\", \"\u0e41\\ud800x\", \"\\ud83d\\ude00 smile\"]");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metadata.read(json));
        assertTrue(e.getMessage().contains(json + ": entry 1 has a lone surrogate"),
                e.getMessage());
        Files.writeString(json, "[\"\\ud83d\\ude00 smile\", \"x\\udc00\"]");
        e = assertThrows(IllegalArgumentException.class, () -> Metadata.read(json));
        assertTrue(e.getMessage().contains(json + ": entry 1 has a lone surrogate"),
                e.getMessage());
        Files.writeString(json, "[\"\\ud83d\\ude00 smile\"]");
        assertEquals(List.of("\uD83D\uDE00 smile"), Metadata.read(json));
    }

    @Test
    void pairIdIsTheSha256PrefixOfTheKey() {
        // SHA-256("abc") = ba7816bf8f01cfea...
        assertEquals(0xba7816bf8f01cfeaL, PairIds.of("abc"));
    }
}
