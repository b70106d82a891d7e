package dev.align.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * align's tokenizer against an independent Python implementation of it
 * ({@code tools/reference_tokenizer.py}, which the PyTorch reference trainer uses): the fixture
 * {@code tokenizer-parity/} holds an emoji-caption tokenizer written by align (1,000 ids, context
 * 32) and the ids the Python code gives for 338 captions: hand-picked edge cases (HTML entities,
 * Unicode whitespace and case, special tokens, contractions, combining marks, scripts, emoji,
 * repeated letters that make equal-rank merges tie, truncation), seeded random strings over the
 * same characters, and real emoji captions. Regenerate with {@code tools/reference_tokenizer.py} (see {@code tools/README.md}).
 */
class TokenizerParityTest {

    private static ParityFixture fixture;
    private static Tokenizer tokenizer;
    private static int contextLength;
    private static List<String> texts;
    private static List<long[]> rows;
    private static List<int[]> contents;

    @BeforeAll
    static void load() throws Exception {
        fixture = ParityFixture.load("/tokenizer-parity/");
        tokenizer = fixture.tokenizer();
        contextLength = fixture.contextLength();
        texts = fixture.texts();
        rows = fixture.rows();
        contents = fixture.contents();
    }

    @Test
    void fixtureCoversTruncationUnicodeAndEntities() {
        assertTrue(texts.size() >= 300, "cases: " + texts.size());
        long truncated = 0;
        long nonAscii = 0;
        long entities = 0;
        for (int i = 0; i < texts.size(); i++) {
            truncated += contents.get(i).length > contextLength - 2 ? 1 : 0;
            nonAscii += texts.get(i).chars().anyMatch(ch -> ch > 127) ? 1 : 0;
            entities += texts.get(i).matches("(?s).*&#?[0-9a-zA-Z]+;.*") ? 1 : 0;
        }
        assertTrue(truncated >= 30, "truncated captions: " + truncated);
        assertTrue(nonAscii >= 80, "non-ASCII captions: " + nonAscii);
        assertTrue(entities >= 20, "captions with HTML entities: " + entities);
        assertInstanceOf(BpeTokenizer.class, tokenizer, "align's own BPE reads the fixture");
    }

    @Test
    void rowsEqualThePythonReference() {
        assertEquals(List.of(), fixture.rowMismatches(), "rows that differ (at most ten)");
    }

    @Test
    void untruncatedContentIdsEqualThePythonReference() {
        BpeTokenizer bpe = (BpeTokenizer) tokenizer;
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(contents.get(i), bpe.contentIds(texts.get(i)),
                    "case " + i + " " + quote(texts.get(i)));
        }
    }

    @Test
    void batchEncodingEqualsThePythonReference() {
        long[] flat = tokenizer.encodeBatch(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(rows.get(i),
                    Arrays.copyOfRange(flat, i * contextLength, (i + 1) * contextLength),
                    "case " + i + " " + quote(texts.get(i)));
        }
    }

    private static String quote(String s) {
        return ParityFixture.quote(s);
    }
}
