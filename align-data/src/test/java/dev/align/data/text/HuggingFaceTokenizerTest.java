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
