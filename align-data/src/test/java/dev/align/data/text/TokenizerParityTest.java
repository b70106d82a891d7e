package dev.align.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
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

    private static final String DIR = "/tokenizer-parity/";

    private static Tokenizer tokenizer;
    private static int contextLength;
    private static final List<String> texts = new ArrayList<>();
    private static final List<long[]> rows = new ArrayList<>();
    private static final List<int[]> contents = new ArrayList<>();

    @BeforeAll
    static void load() throws Exception {
        JsonNode root;
        try (InputStream in = TokenizerParityTest.class.getResourceAsStream(DIR + "cases.json")) {
            root = new ObjectMapper().readTree(in);
        }
        contextLength = root.get("contextLength").asInt();
        int pad = root.get("padId").asInt();
        for (JsonNode c : root.get("cases")) {
            int[] ids = ints(c.get("ids"));
            long[] row = new long[contextLength];
            Arrays.fill(row, pad);
            for (int i = 0; i < ids.length; i++) {
                row[i] = ids[i];
            }
            texts.add(c.get("text").asText());
            rows.add(row);
            contents.add(c.has("content") ? ints(c.get("content"))
                    : Arrays.copyOfRange(ids, 1, ids.length - 1));
        }
        Path file = Path.of(TokenizerParityTest.class.getResource(DIR + "tokenizer.json").toURI());
        tokenizer = Tokenizer.load(file, contextLength);
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
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
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            long[] got = tokenizer.encode(texts.get(i));
            if (!Arrays.equals(rows.get(i), got)) {
                mismatches.add(String.format("case %d %s:%n  python %s%n  java   %s", i,
                        quote(texts.get(i)), Arrays.toString(rows.get(i)), Arrays.toString(got)));
            }
        }
        assertEquals(List.of(), mismatches.subList(0, Math.min(10, mismatches.size())),
                mismatches.size() + " of " + texts.size() + " rows differ");
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
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> sb.append(cp >= 32 && cp < 127
                ? String.valueOf((char) cp) : String.format("\\u{%X}", cp)));
        return sb.append('"').toString();
    }
}
