package dev.align.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link BpeTokenizer.Words#MULTILINGUAL} against the Python reference
 * ({@code tools/reference_tokenizer.py}): the fixture {@code tokenizer-parity-multilingual/}
 * holds a tokenizer that {@code ./align data import emoji --languages de,hi,ja,th} trained with
 * the multilingual word pattern and the ids the Python code gives for the English fixture's edge
 * cases, Hindi, Thai, Japanese and German ones (vowel signs, viramas, tone marks, voiced kana,
 * umlauts, combining marks alone), seeded random strings and real captions of the import.
 * Regenerate with {@code tools/reference_tokenizer.py} (see {@code tools/README.md}).
 */
class MultilingualTokenizerParityTest {

    private static final String DIR = "/tokenizer-parity-multilingual/";
    private static ParityFixture fixture;

    @BeforeAll
    static void load() throws Exception {
        fixture = ParityFixture.load(DIR);
    }

    @Test
    void fixtureIsMultilingualAndCutsWordsUnlikeClip() {
        BpeTokenizer bpe = (BpeTokenizer) fixture.tokenizer();
        assertEquals(BpeTokenizer.Words.MULTILINGUAL, bpe.words());
        long[] byScript = new long[4];
        String[] scripts = {"\\p{IsDevanagari}", "\\p{IsThai}", "[\\p{IsHiragana}\\p{IsKatakana}]",
            "[äöüßÄÖÜ]"};
        long cutDifferently = 0;
        Pattern clip = ClipText.pretokenizer(BpeTokenizer.START_TOKEN, BpeTokenizer.END_TOKEN);
        Pattern multilingual = ClipText.pretokenizerWith(ClipText.WORD_PATTERN_MULTILINGUAL,
                BpeTokenizer.START_TOKEN, BpeTokenizer.END_TOKEN);
        for (String text : fixture.texts()) {
            for (int s = 0; s < scripts.length; s++) {
                byScript[s] += Pattern.compile(scripts[s]).matcher(text).find() ? 1 : 0;
            }
            String cleaned = ClipText.clean(text);
            cutDifferently += ClipText.pieces(clip, cleaned).equals(ClipText.pieces(multilingual,
                    cleaned)) ? 0 : 1;
        }
        for (int s = 0; s < scripts.length; s++) {
            assertTrue(byScript[s] >= 10, scripts[s] + ": " + byScript[s] + " captions");
        }
        // Captions that the CLIP pattern would cut at a combining mark: the fixture tests them.
        assertTrue(cutDifferently >= 40, cutDifferently + " captions cut differently");
    }

    @Test
    void rowsEqualThePythonReference() {
        assertEquals(List.of(), fixture.rowMismatches(), "rows that differ (at most ten)");
    }

    @Test
    void contentIdsAndBatchesEqualThePythonReference() {
        BpeTokenizer bpe = (BpeTokenizer) fixture.tokenizer();
        List<String> texts = fixture.texts();
        int t = fixture.contextLength();
        long[] flat = bpe.encodeBatch(texts);
        for (int i = 0; i < texts.size(); i++) {
            String what = "case " + i + " " + ParityFixture.quote(texts.get(i));
            assertArrayEquals(fixture.contents().get(i), bpe.contentIds(texts.get(i)), what);
            assertArrayEquals(fixture.rows().get(i), Arrays.copyOfRange(flat, i * t, (i + 1) * t),
                    what);
        }
    }
}
