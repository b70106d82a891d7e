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
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void matchesWordsOfEveryPackedLengthAndBeyond() {
        // words are kept packed up to 16 Latin-1 chars (8 per long) and in a pool beyond
        List<String> entries = new ArrayList<>();
        for (int len : new int[] {1, 7, 8, 9, 15, 16, 17, 40}) {
            entries.add("x".repeat(len));
            entries.add("x".repeat(len - 1) + "y");
        }
        MetadataMatcher matcher = MetadataMatcher.build(entries);
        for (int i = 0; i < entries.size(); i++) {
            assertArrayEquals(new int[] {i}, matcher.match("a " + entries.get(i) + " b"),
                    entries.get(i));
            assertArrayEquals(new int[] {}, matcher.match(entries.get(i) + "z"), entries.get(i));
        }
        // same first 16 chars, different tails
        List<String> tails = List.of("abcdefghijklmnop1", "abcdefghijklmnop2", "abcdefghijklmnop");
        assertArrayEquals(new int[] {1}, match(tails, "abcdefghijklmnop2"));
        assertArrayEquals(new int[] {2}, match(tails, "abcdefghijklmnop"));
    }

    @Test
    void matchesLatin1AndOtherUnicodeExactly() {
        // \u00ff in the 8th char sets the top bit of the packed long; \u0100 is the first char
        // that is not Latin-1; the emoji is a surrogate pair
        String pair = "\uD83D\uDE00";
        List<String> entries = List.of("abcdefg\u00ff", "caf\u00e9", "na\u0100ve", "na\u00c0ve",
                pair,
                "smile " + pair, pair + " face", "\u00e9t\u00e9 chaud");
        assertArrayEquals(new int[] {0, 1}, match(entries, "abcdefg\u00ff caf\u00e9."));
        assertArrayEquals(new int[] {2}, match(entries, "na\u0100ve"));
        assertArrayEquals(new int[] {3}, match(entries, "na\u00c0ve"));
        assertArrayEquals(new int[] {4, 5, 6}, match(entries, "smile " + pair + " face"));
        // a lone surrogate half is not the pair
        assertArrayEquals(new int[] {}, match(entries, "smile \uD83D face \uDE00"));
        assertArrayEquals(new int[] {7}, match(entries, "\u00e9t\u00e9 chaud!"));
        assertArrayEquals(new int[] {}, match(entries, "\u00c9t\u00e9 chaud"));
    }

    @Test
    void handlesEmptyAndPunctuationOnlyCaptions() {
        List<String> entries = List.of(",", ".", "!", ", ,", "?  !", "", "cat");
        MetadataMatcher matcher = MetadataMatcher.build(entries);
        // "" -> "  ": the empty entry matches any two consecutive spaces, even there
        assertArrayEquals(new int[] {5}, matcher.match(""));
        assertArrayEquals(new int[] {}, MetadataMatcher.build(List.of("cat", ",")).match(""));
        assertArrayEquals(new int[] {5}, matcher.match(" "));
        // ",," -> "  ,  ,  ": "" and "," match; ", ," needs one space between the commas
        assertArrayEquals(new int[] {0, 5}, matcher.match(",,"));
        assertArrayEquals(new int[] {0, 1, 2, 5}, matcher.match(".!,"));
        // "?!" -> "  ?  !  " holds " ?  ! "
        assertArrayEquals(new int[] {2, 4, 5}, matcher.match("?!"));
        assertArrayEquals(new int[] {0, 5}, matcher.match("\t,\n"));
    }

    @Test
    void entriesWithPunctuationInsideMatchOnlyWhereMetaClipsSpacingAllows() {
        // MetaCLIP spaces captions, not entries: "St. Louis" can never match, "St . Louis" cannot
        // either (one space after the dot), "St .  Louis" can; a tab or newline inside never
        List<String> entries = List.of("St. Louis", "St . Louis", "St .  Louis", "St .", "a\tb",
                "a\nb", "e.g", "Louis", ". Louis", "? !");
        assertArrayEquals(new int[] {2, 3, 7}, match(entries, "St. Louis"));
        assertArrayEquals(new int[] {}, match(entries, "a\tb a\nb e.g"));
        // " St .   ?   !  ": "? !" needs a single space between them, which spacing never leaves
        assertArrayEquals(new int[] {3}, match(entries, "St. ? !"));
        assertArrayEquals(new int[] {}, match(entries, "St ?!"));
        assertArrayEquals(naive(entries, "St. Louis? ! a\tb e.g ."), match(entries,
                "St. Louis? ! a\tb e.g ."));
    }

    @Test
    void nodesWithManyChildrenFindEachChild() {
        // more than two children: the node's next-word filter is a Bloom filter, not inline bits
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            entries.add("the w" + i);
            entries.add("the w" + i + " end");
            entries.add("w" + i);
        }
        entries.add("the");
        MetadataMatcher matcher = MetadataMatcher.build(entries);
        for (int i = 0; i < 500; i++) {
            assertArrayEquals(new int[] {3 * i, 3 * i + 1, 3 * i + 2, 1500},
                    matcher.match("the w" + i + " end"), "w" + i);
        }
        assertArrayEquals(new int[] {1500}, matcher.match("the w500 end"));
        assertArrayEquals(new int[] {0, 2, 1500}, matcher.match("the the w0"));
    }

    @Test
    void agreesWithNaiveMatchingOnWordsOfEveryKind() {
        // a vocabulary with short, 8/9/16/17-char, non-Latin-1 and surrogate-pair words, and
        // entries sharing prefixes so that nodes get from one to hundreds of children
        String[] vocabulary = {"a", "b", "ab", "A", "\u00e9", "\u00ff".repeat(8),
                "abcdefgh", "abcdefghi", "abcdefghijklmnop", "abcdefghijklmnopq", "\u0101\u0101",
                "\uD83D\uDE00", "long" + "x".repeat(30), ",", ".", "", "!"};
        Random rng = new Random(11);
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            int words = 1 + rng.nextInt(4);
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < words; k++) {
                sb.append(k > 0 ? " " : "").append(vocabulary[rng.nextInt(vocabulary.length)]);
            }
            entries.add(sb.toString());
        }
        MetadataMatcher matcher = MetadataMatcher.build(entries);
        String[] separators = {" ", " ", " ", "  ", ", ", ".", "\t", "!"};
        for (int i = 0; i < 1500; i++) {
            StringBuilder caption = new StringBuilder();
            for (int k = rng.nextInt(12); k > 0; k--) {
                caption.append(vocabulary[rng.nextInt(vocabulary.length)])
                        .append(separators[rng.nextInt(separators.length)]);
            }
            String c = caption.toString();
            assertArrayEquals(naive(entries, c), matcher.match(c), c);
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

    /**
     * Set by {@code .ci/run} when {@code ../shared} (the generator of the inputs) is present: then
     * a missing input means generating it failed, and the test fails instead of skipping.
     */
    static final String REQUIRED_ENV = "ALIGN_REQUIRE_METACLIP_INPUTS";

    /** Skips without {@code file}, or fails when {@code required}; true when the file is there. */
    static void requireOrSkip(Path file, boolean required, String what) {
        String message = file.toAbsolutePath() + " is absent; " + what;
        if (required) {
            assertTrue(Files.isRegularFile(file), message + " (" + REQUIRED_ENV + " is set: CI "
                    + "has ../shared, so generating the inputs failed; see tools/metaclip-inputs.sh)");
        }
        assumeTrue(Files.isRegularFile(file), () -> "skipped: " + message);
    }

    private static boolean required() {
        String v = System.getenv(REQUIRED_ENV);
        return v != null && !v.isEmpty() && !v.equals("0");
    }

    private static List<String> requireInput(Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        requireOrSkip(file, required(), "run tools/metaclip-inputs.sh (or set "
                + "-Dalign.metaclip.inputs=DIR)");
        return MetaClipBenchOutput.readLines(file);
    }

    @Test
    void aMissingInputSkipsLocallyButFailsWhenCiRequiresIt(@TempDir Path dir) {
        Path missing = dir.resolve("entries.txt");
        assertThrows(org.opentest4j.TestAbortedException.class,
                () -> requireOrSkip(missing, false, "x"));
        org.opentest4j.AssertionFailedError e = assertThrows(
                org.opentest4j.AssertionFailedError.class, () -> requireOrSkip(missing, true, "x"));
        assertTrue(e.getMessage().contains(REQUIRED_ENV), e.getMessage());
    }

    @Test
    @Tag("data")
    void reproducesMetaClipOutputOnTheBenchmarkInputs() throws Exception {
        Path dir = inputsDir();
        List<String> entries = requireInput(dir, "entries.txt");
        List<String> captions = requireInput(dir, "captions.txt");
        MetadataMatcher matcher = MetadataMatcher.build(entries);
        List<int[]> all = matcher.matchAll(captions, 2);
        assertEquals(MetaClipBenchOutput.EXPECTED_SHA256,
                MetaClipBenchOutput.sha256(MetaClipBenchOutput.format(all)),
                "sha256 of the matches of all " + captions.size() + " captions");

        Path expected = expectedFirst1000();
        requireOrSkip(expected, required(), "the line-by-line check needs it (set "
                + "-Dalign.metaclip.expected=FILE)");
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
