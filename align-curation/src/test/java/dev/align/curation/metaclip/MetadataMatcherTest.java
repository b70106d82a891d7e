package dev.align.curation.metaclip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class MetadataMatcherTest {

    private static int[] match(List<String> entries, String caption) {
        return MetadataMatcher.build(entries).match(caption);
    }

    /** MetaCLIP's own definition, written naively: the oracle for the randomized test. */
    private static int[] naive(List<String> entries, String caption) {
        String t = " " + caption + " ";
        for (String p : List.of(",", ".", ";", ":", "?", "!", "`")) {
            t = t.replace(p, " " + p + " ");
        }
        t = t.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
        List<Integer> ids = new ArrayList<>();
        for (int e = 0; e < entries.size(); e++) {
            if (t.contains(" " + entries.get(e) + " ")) {
                ids.add(e);
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void matchesWholeWordsPaddedBySpaces() {
        List<String> entries = List.of("cat", "dog");
        assertArrayEquals(new int[] {0}, match(entries, "cat"));
        assertArrayEquals(new int[] {0, 1}, match(entries, "a dog and a cat"));
        assertArrayEquals(new int[] {}, match(entries, ""));
    }

    @Test
    void wrapsPunctuationInSpaces() {
        List<String> entries = List.of("cat", "dog", ",", "cat dog", "`");
        assertArrayEquals(new int[] {0, 2}, match(entries, "cat, then"));
        for (String p : List.of(",", ".", ";", ":", "?", "!", "`")) {
            assertArrayEquals(new int[] {0}, match(List.of("cat"), "the cat" + p), p);
            assertArrayEquals(new int[] {0}, match(List.of("cat"), p + "cat" + p + p), p);
        }
        // "cat, dog" becomes " cat ,  dog ": two spaces, so "cat dog" does not match
        assertArrayEquals(new int[] {0, 1, 2}, match(entries, "cat, dog"));
        assertArrayEquals(new int[] {0, 4}, match(entries, "`cat`"));
        // brackets and quotes are not wrapped
        assertArrayEquals(new int[] {}, match(entries, "(cat) \"dog\" 'cat' [dog] cat-dog"));
    }

    @Test
    void isCaseSensitive() {
        assertArrayEquals(new int[] {}, match(List.of("cat"), "Cat CAT"));
        assertArrayEquals(new int[] {1}, match(List.of("cat", "Cat"), "Cat"));
    }

    @Test
    void doesNotMatchInsideWords() {
        assertArrayEquals(new int[] {}, match(List.of("cat"), "concatenate cats scat"));
        assertArrayEquals(new int[] {}, match(List.of("new york"), "renew yorkshire"));
    }

    @Test
    void reportsMultiWordAndOverlappingEntries() {
        List<String> entries = List.of("new york city", "york", "new york", "city", "new");
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, match(entries, "I love new york city."));
        // " new york ,  city ": "city" still matches alone, "new york city" does not
        assertArrayEquals(new int[] {1, 2, 3, 4}, match(entries, "new york, city"));
        assertArrayEquals(new int[] {1, 2, 4}, match(entries, "new york new york"));
    }

    @Test
    void treatsTabsAndNewlinesAsSpacesWithoutCollapsingSpaces() {
        List<String> entries = List.of("new york", "york");
        assertArrayEquals(new int[] {0, 1}, match(entries, "new\tyork"));
        assertArrayEquals(new int[] {0, 1}, match(entries, "new\nyork\r"));
        assertArrayEquals(new int[] {1}, match(entries, "new  york")); // two spaces: no bigram
        assertArrayEquals(new int[] {1}, match(entries, "new\r\nyork"));
    }

    @Test
    void reportsDuplicateAndUnusualEntries() {
        List<String> entries = List.of("cat", "cat", "", "a.b", " cat", "tab\tcat", "é");
        // "" matches any double space; entries holding wrapped or blanked chars never match
        assertArrayEquals(new int[] {0, 1, 2, 4, 6}, match(entries, "x  cat a.b tab\tcat é"));
        assertArrayEquals(new int[] {0, 1}, match(entries, "cat"));
    }

    @Test
    void agreesWithNaiveSubstringMatchingOnRandomText() {
        String[] alphabet = {"a", "b", "ab", "A", " ", " ", " ", ",", ".", "\t", "`", "é", "!"};
        Random rng = new Random(7);
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            entries.add(randomText(rng, alphabet, 1 + rng.nextInt(6)));
        }
        MetadataMatcher matcher = MetadataMatcher.build(entries);
        for (int i = 0; i < 2000; i++) {
            String caption = randomText(rng, alphabet, rng.nextInt(30));
            assertArrayEquals(naive(entries, caption), matcher.match(caption), caption);
        }
    }

    private static String randomText(Random rng, String[] alphabet, int parts) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts; i++) {
            sb.append(alphabet[rng.nextInt(alphabet.length)]);
        }
        return sb.toString();
    }

    @Test
    void matchAllDoesNotDependOnThreadCount() {
        List<String> entries = List.of("red", "red car", "car", "blue", "sky");
        Random rng = new Random(1);
        String[] words = {"red", "car", "blue", "sky", "the", "Red", "car,", "sky."};
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < 10_007; i++) {
            captions.add(randomText(rng, Arrays.stream(words).map(w -> w + " ")
                    .toArray(String[]::new), rng.nextInt(12)));
        }
        MetadataMatcher matcher = MetadataMatcher.build(entries);
        List<int[]> one = matcher.matchAll(captions, 1);
        for (int threads : new int[] {2, 3, 8}) {
            List<int[]> many = matcher.matchAll(captions, threads);
            for (int i = 0; i < captions.size(); i++) {
                assertArrayEquals(one.get(i), many.get(i), "caption " + i);
            }
        }
    }

    @Test
    void rejectsBadInput() {
        MetadataMatcher matcher = MetadataMatcher.build(List.of("cat"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> matcher.matchAll(List.of("cat"), 0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        List<String> withNull = new ArrayList<>(List.of("cat"));
        withNull.add(null);
        e = assertThrows(IllegalArgumentException.class, () -> MetadataMatcher.build(withNull));
        assertTrue(e.getMessage().contains("entry 1"), e.getMessage());
    }

    // ---- MetaCLIP's own output on the benchmark inputs ----

    /** Inputs dir: -Dalign.metaclip.inputs, else the cache dir of tools/metaclip-inputs.sh. */
    private static Path inputsDir() {
        String dir = System.getProperty("align.metaclip.inputs");
        if (dir != null) {
            return Path.of(dir);
        }
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("align/metaclip-inputs");
    }

    /** shared/ lies beside the clone: ../../shared from the module directory. */
    private static Path expectedFirst1000() {
        String file = System.getProperty("align.metaclip.expected");
        return file != null ? Path.of(file)
                : Path.of("../../shared/bench/metaclip_matches_first1000.txt.gz");
    }

    private static List<String> requireInput(Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        assumeTrue(Files.isRegularFile(file), () -> "skipped: " + file.toAbsolutePath()
                + " is absent; run tools/metaclip-inputs.sh (or set -Dalign.metaclip.inputs=DIR)");
        return MatchBench.readLines(file);
    }

    @Test
    @Tag("data")
    void reproducesMetaClipOutputOnTheBenchmarkInputs() throws IOException {
        Path dir = inputsDir();
        List<String> entries = requireInput(dir, "entries.txt");
        List<String> captions = requireInput(dir, "captions.txt");
        MetadataMatcher matcher = MetadataMatcher.build(entries);
        List<int[]> all = matcher.matchAll(captions, 2);
        assertEquals(MatchBench.EXPECTED_SHA256, MatchBench.sha256(MatchBench.format(all)),
                "sha256 of the matches of all " + captions.size() + " captions");

        Path expected = expectedFirst1000();
        assumeTrue(Files.isRegularFile(expected), () -> "skipped the line-by-line check: "
                + expected.toAbsolutePath() + " is absent (set -Dalign.metaclip.expected=FILE)");
        List<String> lines;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(expected)), StandardCharsets.US_ASCII))) {
            lines = r.lines().collect(Collectors.toList());
        }
        assertEquals(1000, lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String got = Arrays.stream(all.get(i)).mapToObj(Integer::toString)
                    .collect(Collectors.joining(" "));
            assertEquals(lines.get(i), got, "caption " + i + ": " + captions.get(i));
        }
    }
}
