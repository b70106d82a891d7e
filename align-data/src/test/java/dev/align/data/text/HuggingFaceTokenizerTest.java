package dev.align.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parity of our BPE with HuggingFace's Rust implementation, through DJL, offline. The captions are
 * already free of HTML entities: the saved normaliser has no HTML unescaping (our encoder does).
 */
class HuggingFaceTokenizerTest {

    @TempDir
    static Path dir;
    private static BpeTokenizer ours;
    private static Path file;

    /** Captions that exercise case, whitespace, digits, apostrophes, punctuation and non-ASCII. */
    private static final List<String> CAPTIONS = List.of(
            "a photo of a cat", "  A   Photo\tOF a\nDOG  ", "it's the dog's 3rd birthday, 2024!!",
            "we're here; they'll go (maybe) -- ok?", "café naïve crème brûlée", "東京タワー at night",
            "emoji 😀🐱 party 🎉", "C++ & Java: 100% of 42 items", "zzqx unseenword xylophone",
            "", "   ", "x", "a".repeat(300), "one two three four five six seven eight nine ten "
                    .repeat(5));

    @BeforeAll
    static void trainAndSave() throws Exception {
        List<String> corpus = new ArrayList<>(SyntheticCaptions.generate(5_000, 21));
        corpus.addAll(CAPTIONS);
        ours = BpeTokenizer.train(corpus, 1_200, 24);
        file = dir.resolve("tokenizer.json");
        ours.save(file);
    }

    private static List<String> captions() {
        List<String> all = new ArrayList<>(CAPTIONS);
        all.addAll(SyntheticCaptions.generate(2_000, 77));
        return all;
    }

    @Test
    void ourSavedFileGivesTheSameIdsThroughHuggingFace() throws Exception {
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.load(file, 24)) {
            assertEquals(ours.vocabSize(), hf.vocabSize());
            assertEquals(ours.startId(), hf.startId());
            assertEquals(ours.endId(), hf.endId());
            assertEquals(0, hf.padId());
            for (String c : captions()) {
                assertEquals(ours.tokens(c), hf.tokens(c), c);
                assertArrayEquals(ours.encode(c), hf.encode(c), c);
            }
            assertArrayEquals(ours.encodeBatch(captions()), hf.encodeBatch(captions()));
        }
    }

    @Test
    void aMultilingualFileGivesTheSameIdsThroughHuggingFace() throws Exception {
        // The saved Split pattern carries \\p{M}; the native tokenizer must cut the same words.
        List<String> mixture = List.of("हिन्दी भाषा बोलो", "หน้ายิ้ม ยิ้ม ใบหน้า", "হাসিমুখ মুখ",
                "Fuchsgesicht, Fuchs, Tier", "赤いリンゴ", "červené jablko", "fox face emoji");
        BpeTokenizer multi = BpeTokenizer.train(mixture, 700, 24, BpeTokenizer.Words.MULTILINGUAL);
        Path saved = dir.resolve("multilingual.json");
        multi.save(saved);
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.load(saved, 24)) {
            for (String c : mixture) {
                assertEquals(multi.tokens(c), hf.tokens(c), c);
                assertArrayEquals(multi.encode(c), hf.encode(c), c);
            }
        }
    }

    @Test
    void decodesAsOurs() throws Exception {
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.load(file, 64)) {
            BpeTokenizer wide = ours.withContextLength(64);
            for (String c : CAPTIONS) {
                assertEquals(wide.decode(wide.encode(c)), hf.decode(hf.encode(c)), c);
            }
        }
    }

    @Test
    void theFileAloneReproducesOurRowsInHuggingFace() throws Exception {
        // The native tokenizer with the file's own post-processor, truncation and padding: what a
        // Python user of `tokenizers` gets from Tokenizer.from_file(...).encode(caption).ids.
        try (ai.djl.huggingface.tokenizers.HuggingFaceTokenizer raw =
                ai.djl.huggingface.tokenizers.HuggingFaceTokenizer.newInstance(file,
                        Map.of("addSpecialTokens", "true", "truncation", "true",
                                "padding", "max_length", "maxLength", "24"))) {
            for (String c : CAPTIONS) {
                assertArrayEquals(ours.encode(c), raw.encode(c).getIds(), c);
            }
        }
    }

    @Test
    void truncationKeepsTheEndTokenLast() throws Exception {
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.load(file, 6)) {
            long[] row = hf.encode("one two three four five six seven");
            assertEquals(6, row.length);
            assertEquals(hf.startId(), row[0]);
            assertEquals(hf.endId(), row[5]);
            assertArrayEquals(ours.withContextLength(6).encode("one two three four five six seven"), row);
        }
    }

    @Test
    void readsSpecialTokensFromATemplateProcessor(@TempDir Path tmp) throws Exception {
        String json = ours.toJson();
        int post = json.indexOf("\"post_processor\"");
        int decoder = json.indexOf("\"decoder\"");
        String template = "\"post_processor\" : {\"type\": \"TemplateProcessing\","
                + " \"single\": [{\"SpecialToken\": {\"id\": \"<end_of_text>\", \"type_id\": 0}},"
                + " {\"Sequence\": {\"id\": \"A\", \"type_id\": 0}},"
                + " {\"SpecialToken\": {\"id\": \"<start_of_text>\", \"type_id\": 0}}],"
                + " \"pair\": [{\"Sequence\": {\"id\": \"A\", \"type_id\": 0}}],"
                + " \"special_tokens\": {"
                + " \"<start_of_text>\": {\"id\": \"<start_of_text>\", \"ids\": [" + ours.startId()
                + "], \"tokens\": [\"<start_of_text>\"]},"
                + " \"<end_of_text>\": {\"id\": \"<end_of_text>\", \"ids\": [" + ours.endId()
                + "], \"tokens\": [\"<end_of_text>\"]}}},\n  ";
        Path swapped = tmp.resolve("template.json");
        Files.writeString(swapped, json.substring(0, post) + template + json.substring(decoder));
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.load(swapped, 8)) {
            assertEquals(ours.endId(), hf.startId(), "first special token of the template");
            assertEquals(ours.startId(), hf.endId(), "last special token of the template");
        }
    }

    /**
     * Fuzz finding: a BPE file whose {@code unk_token} is not in its vocabulary loaded, then threw
     * a bare {@code RuntimeException} ("Unk token `...` not found in the vocabulary", with the
     * whole token) on the first unknown character, inside a data worker mid-run. WordPiece files
     * with the same fault fail the same way.
     */
    @Test
    void aFileThatLoadsButCannotEncodeIsRejectedAtLoad(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("tokenizer.json");
        Files.writeString(file, TokenizerFuzzTest.HF_BPE.replace("\"unk_token\": null",
                "\"unk_token\": \"" + "u".repeat(1000) + "\""));
        for (var load : List.<java.util.concurrent.Callable<?>>of(
                () -> HuggingFaceTokenizer.load(file, 16), () -> Tokenizer.load(file, 16))) {
            TokenizerFormatException e = assertThrows(TokenizerFormatException.class, load::call);
            assertTrue(e.getMessage().startsWith(file + ": HuggingFace tokenizers load it but "
                    + "cannot encode a test caption: Unk token `uuu") && e.getMessage().endsWith(
                    "characters)") && e.getMessage().length() < 500, e.getMessage());
        }
        Files.writeString(file, TokenizerFuzzTest.WORDPIECE.replace("\"unk_token\": \"[UNK]\"",
                "\"unk_token\": \"[NOPE]\""));
        assertTrue(assertThrows(TokenizerFormatException.class, () -> HuggingFaceTokenizer.load(
                file, 16)).getMessage().contains("cannot encode a test caption"));
        Files.writeString(file, TokenizerFuzzTest.WORDPIECE);
        try (HuggingFaceTokenizer ok = HuggingFaceTokenizer.load(file, 8)) {
            assertEquals(8, ok.encode("a photo of zzqx").length);
        }
    }

    /**
     * Fuzz finding (100,000-input run): an id of 4294967295 in model.vocab loads in the Rust
     * library (ids are u32) and came out of encode as -1, an index the text tower cannot embed.
     */
    @Test
    void anIdThatIsNotANonNegativeIntIsRejectedAtLoad(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("tokenizer.json");
        for (String bad : new String[] {"4294967295", "-1", "2147483647", "7.5"}) {
            Files.writeString(file, TokenizerFuzzTest.HF_BPE.replace("\"t\": 7,", "\"t\": " + bad + ","));
            TokenizerFormatException e = assertThrows(TokenizerFormatException.class,
                    () -> Tokenizer.load(file, 16));
            assertTrue(e.getMessage().contains("model.vocab['t'] has id " + bad + "; ids must be "
                    + "whole numbers in [0, 2147483647)"), e.getMessage());
        }
        Files.writeString(file, TokenizerFuzzTest.WORDPIECE.replace("{\"id\": 3, \"content\": \"[SEP]\"",
                "{\"id\": -3, \"content\": \"[SEP]\""));
        assertTrue(assertThrows(TokenizerFormatException.class, () -> HuggingFaceTokenizer.load(
                file, 16)).getMessage().contains("added token '[SEP]' has id -3"));
    }

    /**
     * Fuzz finding (5,000-input run, seed 7): an added token {@code "é"} given the id of
     * {@code "<s>"} loads; the native library quietly gives it the next free id, 20, of a file
     * whose ids end at 19, and a caption with an "é" then failed mid-run ("the tokenizer produced
     * id 20, outside its vocabulary"). Such a file is now refused at load.
     */
    @Test
    void anAddedTokenWhoseIdIsTakenIsRejectedAtLoad(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("tokenizer.json");
        String taken = "{\"id\": 1, \"content\": \"<s>\"";
        assertTrue(TokenizerFuzzTest.HF_BPE.contains(taken));
        Files.writeString(file, TokenizerFuzzTest.HF_BPE.replace(taken,
                "{\"id\": 1, \"content\": \"\u00e9\""));
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class,
                () -> HuggingFaceTokenizer.load(file, 16));
        assertTrue(e.getMessage().contains("added token 'é' comes out of the HuggingFace library "
                + "as id 20, outside the vocabulary [0, 20)"), e.getMessage());
        Files.writeString(file, TokenizerFuzzTest.HF_BPE);
        try (HuggingFaceTokenizer ok = HuggingFaceTokenizer.load(file, 16)) {
            assertEquals(20, ok.vocabSize());
        }
    }

    /**
     * Fuzz finding (100,000-input run): an added token of 87,623 characters made the native
     * library take six minutes to load the file (its time grows with the square of the length).
     */
    @Test
    void tokensLongerThanTheLimitAreRejectedBeforeTheNativeLibrarySeesThem(@TempDir Path tmp)
            throws Exception {
        Path file = tmp.resolve("tokenizer.json");
        String longToken = "a".repeat(HuggingFaceTokenizer.MAX_TOKEN_CHARS + 1);
        Files.writeString(file, TokenizerFuzzTest.HF_BPE.replace("\"content\": \"<s>\"",
                "\"content\": \"" + longToken + "\""));
        long t0 = System.nanoTime();
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class,
                () -> Tokenizer.load(file, 16));
        assertTrue(e.getMessage().contains("an added token has 1025 characters") && e.getMessage()
                .contains("more than the limit of 1024"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "rejected before loading");
        Files.writeString(file, TokenizerFuzzTest.HF_BPE.replace("\"r\": 16", "\""
                + "r".repeat(5000) + "\": 16"));
        assertTrue(assertThrows(TokenizerFormatException.class, () -> HuggingFaceTokenizer.load(
                file, 16)).getMessage().contains("a model.vocab entry has 5000 characters"));
        // at the limit: fine (in the vocabulary and the added tokens alike, so the id is its own)
        Files.writeString(file, TokenizerFuzzTest.HF_BPE.replace("<s>",
                "a".repeat(HuggingFaceTokenizer.MAX_TOKEN_CHARS)));
        HuggingFaceTokenizer.load(file, 16, "<pad>", "</s>", 0).close();
    }

    /**
     * Fuzz finding (100,000-input run): a continuing_subword_prefix longer than a merge's second
     * token made the native library panic while building the model, which aborted the JVM
     * (exit 134, "byte index 24937 is out of bounds of `a`").
     */
    @Test
    void aMergeTheSubwordPrefixCannotFitIsRejectedInsteadOfCrashingTheJvm(@TempDir Path tmp)
            throws Exception {
        Path file = tmp.resolve("tokenizer.json");
        Files.writeString(file, TokenizerFuzzTest.HF_BPE.replace(
                "\"continuing_subword_prefix\": null", "\"continuing_subword_prefix\": \"##\""));
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class,
                () -> Tokenizer.load(file, 16));
        assertTrue(e.getMessage().contains("model.merges[0] = \"Ġ a\" does not continue with "
                + "continuing_subword_prefix '##' (2 bytes)"), e.getMessage());
        // The same with a prefix of one character but two bytes, longer than the merge's "a".
        Files.writeString(file, TokenizerFuzzTest.HF_BPE.replace(
                "\"continuing_subword_prefix\": null", "\"continuing_subword_prefix\": \"é\""));
        assertTrue(assertThrows(TokenizerFormatException.class, () -> Tokenizer.load(file, 16))
                .getMessage().contains("(2 bytes)"));
    }

    /**
     * Fuzz finding (100,000-input run): a Replace normalizer with an empty regex made the native
     * library panic ("index out of bounds: the len is 31 but the index is 31" in Lowercase) while
     * normalizing the added tokens at load, which aborted the JVM.
     */
    @Test
    void aReplaceNormalizerMatchingTheEmptyStringIsRejectedInsteadOfCrashingTheJvm(@TempDir Path tmp)
            throws Exception {
        Path file = tmp.resolve("tokenizer.json");
        for (String pattern : new String[] {"{\"Regex\": \"\"}", "{\"Regex\": \"x*\"}",
            "{\"String\": \"\"}"}) {
            Files.writeString(file, ours.toJson().replace("\"Regex\" : \"\\\\s+\"",
                    pattern.substring(1, pattern.length() - 1)));
            assertTrue(Files.readString(file).contains(pattern.substring(1, pattern.length() - 1)));
            TokenizerFormatException e = assertThrows(TokenizerFormatException.class,
                    () -> HuggingFaceTokenizer.load(file, 16));
            assertTrue(e.getMessage().contains("the Replace normalizer's pattern")
                    && e.getMessage().contains("matches the empty string"), e.getMessage());
        }
    }

    @Test
    void rejectsBadInputWithClearMessages(@TempDir Path tmp) throws Exception {
        Path noPost = tmp.resolve("nopost.json");
        Files.writeString(noPost, ours.toJson().replace("RobertaProcessing", "ByteLevel"));
        assertTrue(assertThrows(TokenizerFormatException.class, () -> HuggingFaceTokenizer.load(noPost, 8))
                .getMessage().contains("cannot tell the start token from post_processor ByteLevel"));
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.load(noPost, 8, "<start_of_text>",
                "<end_of_text>", -1)) {
            assertArrayEquals(ours.withContextLength(8).encode("a cat"), hf.encode("a cat"));
        }
        assertThrows(TokenizerFormatException.class,
                () -> HuggingFaceTokenizer.load(noPost, 8, "<nope>", "<end_of_text>", -1));
        assertThrows(IllegalArgumentException.class, () -> HuggingFaceTokenizer.load(file, 1));
        HuggingFaceTokenizer hf = HuggingFaceTokenizer.load(file, 8);
        assertEquals("texts[2] is null", assertThrows(NullPointerException.class,
                () -> hf.encodeBatch(Arrays.asList("a", "b", null))).getMessage());
        hf.close();
        hf.close();
        assertEquals("this HuggingFaceTokenizer has been closed",
                assertThrows(IllegalStateException.class, () -> hf.encode("a")).getMessage());
    }
}
