package dev.align.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align.core.testing.fuzz.FuzzHarness;
import dev.align.core.testing.fuzz.JsonMutator;
import dev.align.core.testing.fuzz.Mutator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@code tokenizer.json} loading with mutated files: align's own CLIP BPE (read in Java)
 * and HuggingFace WordPiece and BPE files (read by the Rust library through DJL), changed at the
 * JSON level (vocabularies with repeated, negative or huge ids, merges that are not pairs, missing
 * or mistyped post-processors, context lengths at the edge) and at the byte level. Loading must
 * give a tokenizer or a {@link TokenizerFormatException} that names the problem; a loaded
 * tokenizer must then encode a caption into a row of its context length with ids inside its
 * vocabulary, and decode it, without error.
 */
class TokenizerFuzzTest {

    /** HuggingFace files are read by native code, whose panics abort the JVM: keep the input. */
    private static final FuzzHarness LOAD = FuzzHarness.builder("tokenizer.json (Tokenizer.load)")
            .allows(TokenizerFormatException.class)
            .keepInputOnCrash()
            .maxAllocated(n -> 96 * n + (32L << 20), "96 x file + 32 MiB (Java heap)")
            .build();
    private static final FuzzHarness BPE = FuzzHarness.builder("tokenizer.json (BpeTokenizer.load)")
            .allows(TokenizerFormatException.class)
            .maxAllocated(n -> 96 * n + (32L << 20), "96 x file + 32 MiB")
            .build();
    private static final String CAPTION = "A photo of 2 RED cats, café & 東京 — it's 4k!";
    private static final List<byte[]> SEEDS = seeds();

    @Test
    void anyTokenizerFileLoadsOrIsRejectedWithTheFormatException() throws IOException {
        Path file = Files.createTempFile("fuzz", ".json");
        try {
            LOAD.check(TokenizerFuzzTest::mutate, input -> {
                Files.write(file, input);
                Tokenizer t = Tokenizer.load(file, 16);
                try {
                    use(t);
                } finally {
                    if (t instanceof AutoCloseable c) {
                        c.close();
                    }
                }
            });
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void clipBpeFilesLoadOrAreRejectedWithTheFormatException() throws IOException {
        Path file = Files.createTempFile("fuzz", ".json");
        try {
            BPE.check(TokenizerFuzzTest::mutate, input -> {
                Files.write(file, input);
                BpeTokenizer t = BpeTokenizer.load(file);
                // Callers check the file's context length against the model's before encoding.
                if (t.contextLength() <= 1024) {
                    use(t);
                }
            });
        } finally {
            Files.delete(file);
        }
    }

    @AfterAll
    static void report() {
        LOAD.writeReport();
        BPE.writeReport();
    }

    private static void use(Tokenizer t) {
        long[] row = t.encode(CAPTION);
        assertEquals(t.contextLength(), row.length);
        for (long id : row) {
            assertTrue(id >= 0 && id < t.vocabSize(), "id " + id + " outside [0, "
                    + t.vocabSize() + ")");
        }
        assertEquals(t.startId(), row[0]);
        t.decode(row);
        t.tokens(CAPTION);
    }

    static byte[] mutate(Random random) {
        Mutator m = new Mutator(random);
        byte[] seed = SEEDS.get(random.nextInt(SEEDS.size()));
        if (random.nextInt(3) == 0) {
            return m.mutate(seed, SEEDS);
        }
        JsonNode tree = JsonMutator.parse(new String(seed, StandardCharsets.UTF_8));
        return new JsonMutator(m).mutate(tree, SEEDS);
    }

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        BpeTokenizer bpe = BpeTokenizer.train(SyntheticCaptions.generate(400, 3), 560, 16);
        seeds.add(bpe.toJson().getBytes(StandardCharsets.UTF_8));
        seeds.add(WORDPIECE.getBytes(StandardCharsets.UTF_8));
        seeds.add(HF_BPE.getBytes(StandardCharsets.UTF_8));
        return seeds;
    }

    /** A BERT-style WordPiece file with a TemplateProcessing post-processor. */
    static final String WORDPIECE = """
            {"version": "1.0", "truncation": null, "padding": null,
             "added_tokens": [
               {"id": 0, "content": "[PAD]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
               {"id": 1, "content": "[UNK]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
               {"id": 2, "content": "[CLS]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
               {"id": 3, "content": "[SEP]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
             "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": null, "lowercase": true},
             "pre_tokenizer": {"type": "BertPreTokenizer"},
             "post_processor": {"type": "TemplateProcessing",
               "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
               "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}],
               "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]}, "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}}},
             "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
             "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100,
               "vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "a": 4, "photo": 5, "of": 6, "red": 7, "cat": 8, "##s": 9, ",": 10, "2": 11, "it": 12, "'": 13, "s": 14, "4": 15, "##k": 16, "!": 17, "caf": 18, "##e": 19, "&": 20}}}
            """;

    /** A byte-level BPE file (GPT-2 style, no end-of-word suffix) with a Roberta post-processor. */
    static final String HF_BPE = """
            {"version": "1.0", "truncation": null, "padding": {"strategy": "BatchLongest", "direction": "Right", "pad_to_multiple_of": null, "pad_id": 0, "pad_type_id": 0, "pad_token": "<pad>"},
             "added_tokens": [
               {"id": 0, "content": "<pad>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
               {"id": 1, "content": "<s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
               {"id": 2, "content": "</s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
             "normalizer": {"type": "Lowercase"},
             "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
             "post_processor": {"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 1], "trim_offsets": true, "add_prefix_space": false},
             "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
             "model": {"type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": null, "end_of_word_suffix": null, "fuse_unk": false, "byte_fallback": false,
               "vocab": {"<pad>": 0, "<s>": 1, "</s>": 2, "a": 3, "p": 4, "h": 5, "o": 6, "t": 7, "Ġ": 8, "c": 9, "Ġa": 10, "ph": 11, "pho": 12, "phot": 13, "photo": 14, "Ġphoto": 15, "r": 16, "e": 17, "d": 18, "s": 19},
               "merges": ["Ġ a", "p h", "ph o", "pho t", "phot o", "Ġ photo"]}}
            """;
}
