package dev.align.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTokenizerTest {

    private static BpeTokenizer trained;

    @BeforeAll
    static void train() {
        trained = BpeTokenizer.train(SyntheticCaptions.generate(5_000, 7), 1_000, 16);
    }

    private static List<String> corpus3() {
        List<String> c = new ArrayList<>();
        c.addAll(Collections.nCopies(5, "low"));
        c.addAll(Collections.nCopies(2, "lower"));
        c.addAll(Collections.nCopies(6, "newest"));
        return c;
    }

    @Test
    void learnsHandCheckableMergesOnThreeWordCorpus() {
        // Counts: (w,e)=8 wins; then (l,o)=7; then four pairs tie at 6 and go in string order.
        BpeTokenizer t = BpeTokenizer.train(corpus3(), 600, 8);
        assertEquals(List.of("w e", "l o", "e we", "ewe s", "ewes t</w>", "n ewest</w>",
                "lo w</w>", "lo we", "lowe r</w>"), t.merges());
        assertEquals(512 + 9 + 2, t.vocabSize(), "the corpus runs out of pairs after 9 merges");
        assertEquals(List.of("lower</w>", "newest</w>"), t.tokens("lower newest"));
        assertEquals(List.of("we", "s", "t</w>"), t.tokens("west"));
    }

    @Test
    void stopsAtTheRequestedVocabularySize() {
        BpeTokenizer t = BpeTokenizer.train(corpus3(), 514 + 3, 8);
        assertEquals(List.of("w e", "l o", "e we"), t.merges());
        assertEquals(517, t.vocabSize());
    }

    @Test
    void trainingIsDeterministicAndIndependentOfCaptionOrder() {
        List<String> corpus = SyntheticCaptions.generate(3_000, 11);
        BpeTokenizer a = BpeTokenizer.train(corpus, 900, 16);
        List<String> shuffled = new ArrayList<>(corpus);
        Collections.shuffle(shuffled, new Random(3));
        BpeTokenizer b = BpeTokenizer.train(shuffled, 900, 16);
        assertEquals(a.merges(), b.merges());
        assertEquals(a.vocab(), b.vocab());
        assertEquals(900, a.vocabSize());
    }

    @Test
    void specialTokensTakeTheTwoHighestIdsAndPadIsTheByteSymbolBang() {
        int n = trained.vocabSize();
        assertEquals(n - 2, trained.startId());
        assertEquals(n - 1, trained.endId());
        assertEquals(BpeTokenizer.START_TOKEN, trained.vocab().get(trained.startId()));
        assertEquals(BpeTokenizer.END_TOKEN, trained.vocab().get(trained.endId()));
        assertEquals(0, trained.padId());
        assertEquals("!", trained.vocab().get(0), "as OpenCLIP, pad id 0 is also the token '!'");
        assertEquals("!</w>", trained.vocab().get(256));
    }

    @Test
    void encodeLaysOutStartTokensEndAndPadding() {
        long[] row = trained.encode("a cat");
        int[] content = trained.contentIds("a cat");
        assertEquals(16, row.length);
        assertEquals(trained.startId(), row[0]);
        for (int i = 0; i < content.length; i++) {
            assertEquals(content[i], row[1 + i]);
        }
        assertEquals(trained.endId(), row[1 + content.length]);
        for (int i = 2 + content.length; i < row.length; i++) {
            assertEquals(0, row[i]);
        }
        // The end token is the row's argmax, which the text tower's pooling relies on.
        int argmax = 0;
        for (int i = 1; i < row.length; i++) {
            argmax = row[i] > row[argmax] ? i : argmax;
        }
        assertEquals(1 + content.length, argmax);
    }

    @Test
    void truncationKeepsTheEndTokenLast() {
        String longCaption = "a photo of a red cat in the park ".repeat(10);
        int[] content = trained.contentIds(longCaption);
        assertTrue(content.length > 14);
        long[] row = trained.encode(longCaption);
        assertEquals(trained.startId(), row[0]);
        for (int i = 0; i < 14; i++) {
            assertEquals(content[i], row[1 + i], "the first T-2 tokens are kept");
        }
        assertEquals(trained.endId(), row[15]);
        long[] exact = trained.withContextLength(content.length + 2).encode(longCaption);
        assertEquals(trained.endId(), exact[exact.length - 1], "a caption that just fits");
        assertEquals(content[content.length - 1], exact[exact.length - 2]);
    }

    @Test
    void emptyCaptionIsStartThenEnd() {
        long[] row = trained.encode("   ");
        assertEquals(trained.startId(), row[0]);
        assertEquals(trained.endId(), row[1]);
        assertEquals(0, row[2]);
    }

    @Test
    void lowercasesAndCollapsesWhitespace() {
        assertArrayEquals(trained.encode("a photo of a cat"),
                trained.encode("  A   Photo\tOF a\n\u00A0CAT \u3000"));
        assertArrayEquals(trained.encode("cats & dogs"), trained.encode("Cats &amp;amp; Dogs"),
                "HTML is unescaped twice, as CLIP");
        assertArrayEquals(trained.encode("café"), trained.encode("cafe\u0301"), "NFC");
    }

    @Test
    void unicodeRoundTripsThroughDecode() {
        String text = "café naïve crème brûlée 東京タワー 😀 🐱‍👤 ok";
        assertEquals(text, trained.decode(trained.withContextLength(200).encode(text)));
        assertEquals("a photo of a cat", trained.decode(trained.encode("A PHOTO of a  cat")));
        // As CLIP, pieces are joined with spaces: punctuation comes back detached.
        assertEquals("cat 's toy !", trained.decode(trained.encode("cat's toy!")));
    }

    @Test
    void decodeStopsAtTheEndToken() {
        long[] row = trained.encode("dog");
        assertEquals("dog", trained.decode(row));
        assertEquals("dog", trained.decode(Arrays.copyOfRange(row, 1, 3)), "without start token");
    }

    @Test
    void specialTokenTextMapsToTheSpecialIds() {
        assertEquals(List.of("a</w>", BpeTokenizer.END_TOKEN, "b</w>"),
                trained.tokens("a<END_OF_TEXT>b"));
    }

    @Test
    void batchIsTheRowsConcatenated() {
        List<String> texts = List.of("a cat", "two dogs on a beach", "", "x");
        long[] flat = trained.encodeBatch(texts);
        assertEquals(texts.size() * 16, flat.length);
        for (int b = 0; b < texts.size(); b++) {
            assertArrayEquals(trained.encode(texts.get(b)), Arrays.copyOfRange(flat, b * 16, b * 16 + 16));
        }
    }

    @Test
    void rejectsInvalidInputWithClearMessages() {
        assertEquals("text is null",
                assertThrows(NullPointerException.class, () -> trained.encode(null)).getMessage());
        assertEquals("texts[1] is null", assertThrows(NullPointerException.class,
                () -> trained.encodeBatch(Arrays.asList("a", null))).getMessage());
        assertEquals("contextLength must be >= 2 to hold the start and end tokens, got 1",
                assertThrows(IllegalArgumentException.class,
                        () -> trained.withContextLength(1)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> BpeTokenizer.train(corpus3(), 100, 8)).getMessage().contains("got 100"));
        assertEquals("the corpus contains a null caption", assertThrows(NullPointerException.class,
                () -> BpeTokenizer.train(Arrays.asList("a", null), 600, 8)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> trained.decode(new long[] {5, -1})).getMessage()
                .contains("id -1 at position 1 is outside [0, 1000)"));
    }

    @Test
    void saveAndLoadRoundTripExactly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokenizer.json");
        trained.save(file);
        BpeTokenizer loaded = BpeTokenizer.load(file);
        assertEquals(trained.vocab(), loaded.vocab());
        assertEquals(trained.merges(), loaded.merges());
        assertEquals(trained.contextLength(), loaded.contextLength());
        assertEquals(trained.startId(), loaded.startId());
        assertEquals(trained.endId(), loaded.endId());
        List<String> captions = SyntheticCaptions.generate(500, 99);
        assertArrayEquals(trained.encodeBatch(captions), loaded.encodeBatch(captions));
        Path again = dir.resolve("again.json");
        loaded.save(again);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again), "byte-identical");
        assertEquals(77, BpeTokenizer.load(file, 77).contextLength());
    }

    /**
     * Fuzz finding: a {@code tokenizer.json} that is not UTF-8 failed with
     * {@code MalformedInputException: Input length = 4}, naming neither file nor place.
     */
    @Test
    void aFileThatIsNotUtf8IsAFormatErrorNamingTheOffset(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("tokenizer.json");
        byte[] json = trained.toJson().getBytes(StandardCharsets.UTF_8);
        json[40] = (byte) 0xF0;                             // a 4-byte lead with no continuation
        Files.write(bad, json);
        for (var load : List.<java.util.concurrent.Callable<?>>of(() -> BpeTokenizer.load(bad),
                () -> Tokenizer.load(bad, 16), () -> HuggingFaceTokenizer.load(bad, 16))) {
            TokenizerFormatException e = assertThrows(TokenizerFormatException.class, load::call);
            assertTrue(e.getMessage().contains(bad + " is not valid UTF-8: byte 0xF0 at offset 40"),
                    e.getMessage());
        }
    }

    @Test
    void loadRejectsFilesThatAreNotClipBpe(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}}");
        assertTrue(assertThrows(TokenizerFormatException.class, () -> BpeTokenizer.load(bad))
                .getMessage().contains("model.type is 'WordPiece', expected 'BPE'"));
        Files.writeString(bad, "{not json", StandardCharsets.UTF_8);
        assertTrue(assertThrows(TokenizerFormatException.class, () -> BpeTokenizer.load(bad))
                .getMessage().contains("malformed JSON"));
        String json = trained.toJson().replace("\"" + BpeTokenizer.END_TOKEN + "\" : " + trained.endId(),
                "\"<eot>\" : " + trained.endId());
        Files.writeString(bad, json, StandardCharsets.UTF_8);
        assertTrue(assertThrows(TokenizerFormatException.class, () -> BpeTokenizer.load(bad))
                .getMessage().contains("no token '<end_of_text>'"));
    }

    @Test
    void concurrentEncodingMatchesSequential() throws Exception {
        List<String> captions = SyntheticCaptions.generate(2_000, 5);
        BpeTokenizer fresh = trained.withContextLength(16); // empty cache, so threads race to fill it
        long[] expected = trained.encodeBatch(captions);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<long[]>> results = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                results.add(pool.submit(() -> fresh.encodeBatch(captions)));
            }
            for (Future<long[]> r : results) {
                assertArrayEquals(expected, r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void encodesTenThousandCaptionsInABatchAsOneByOne() {
        // Speed is TokenizerBench's claim (benchmarks), not a timed test's: CI machines are shared.
        List<String> captions = SyntheticCaptions.generate(10_000, 123);
        BpeTokenizer fresh = trained.withContextLength(77);
        long[] ids = fresh.encodeBatch(captions);
        assertEquals(10_000 * 77, ids.length);
        for (int i = 0; i < captions.size(); i += 97) {
            long[] one = fresh.encode(captions.get(i));
            long[] row = java.util.Arrays.copyOfRange(ids, i * 77, (i + 1) * 77);
            assertArrayEquals(java.util.Arrays.copyOf(one, 77), row, "caption " + i);
        }
    }
    /** Hindi, Thai and Bengali vowel signs are marks (\\p{M}), not letters. */
    private static final List<String> MIXTURE = List.of("हिन्दी भाषा", "หน้ายิ้ม ยิ้ม",
            "হাসিমুখ", "fox face, animal", "Fuchsgesicht, Fuchs, Tier", "赤いリンゴ", "крас яблоко");

    @Test
    void multilingualWordsKeepCombiningMarksInsideWordsAndClipCutsAtThem() {
        BpeTokenizer clip = BpeTokenizer.train(MIXTURE, 600, 32);
        BpeTokenizer multi = BpeTokenizer.train(MIXTURE, 600, 32, BpeTokenizer.Words.MULTILINGUAL);
        assertEquals(BpeTokenizer.Words.CLIP, clip.words());
        assertEquals(BpeTokenizer.Words.MULTILINGUAL, multi.words());
        // "हिन्दी" = ह ि न ् द ी: three marks cut CLIP's words into ह | ि | न | ् | द | ी,
        // each ending a word (</w>); the multilingual pattern keeps one word.
        long clipEnds = clip.tokens("हिन्दी").stream().filter(t -> t.endsWith("</w>")).count();
        long multiEnds = multi.tokens("हिन्दी").stream().filter(t -> t.endsWith("</w>")).count();
        assertEquals(6, clipEnds, clip.tokens("हिन्दी").toString());
        assertEquals(1, multiEnds, multi.tokens("हिन्दी").toString());
        assertEquals("हिन्दी भाषा", multi.decode(multi.encode("हिन्दी भाषा")));
        // Without marks both patterns cut the same words: same merges learnt, same ids.
        List<String> latin = SyntheticCaptions.generate(300, 3);
        BpeTokenizer a = BpeTokenizer.train(latin, 700, 16);
        BpeTokenizer b = BpeTokenizer.train(latin, 700, 16, BpeTokenizer.Words.MULTILINGUAL);
        assertEquals(a.merges(), b.merges());
        assertArrayEquals(a.encodeBatch(latin), b.encodeBatch(latin));
    }

    @Test
    void theWordPatternIsSavedAndReadBack(@TempDir Path dir) throws Exception {
        BpeTokenizer multi = BpeTokenizer.train(MIXTURE, 600, 32, BpeTokenizer.Words.MULTILINGUAL);
        Path file = dir.resolve("tokenizer.json");
        multi.save(file);
        BpeTokenizer loaded = BpeTokenizer.load(file);
        assertEquals(BpeTokenizer.Words.MULTILINGUAL, loaded.words());
        assertEquals(multi.tokens("หน้ายิ้ม হাসিমুখ"), loaded.tokens("หน้ายิ้ม হাসিমুখ"));
        trained.save(file);
        assertEquals(BpeTokenizer.Words.CLIP, BpeTokenizer.load(file).words());
        assertTrue(assertThrows(NullPointerException.class,
                () -> BpeTokenizer.train(MIXTURE, 600, 32, null)).getMessage().contains("words"));
    }
}
