package dev.align.data.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A tokenizer parity fixture written by {@code tools/reference_tokenizer.py}: a tokenizer.json
 * that align wrote, and for each caption the row the Python reference gives (padded here) and,
 * for a truncated row, all its content ids.
 *
 * @param tokenizer the fixture's tokenizer as align reads it
 * @param contextLength {@code T} of the rows
 * @param texts the captions
 * @param rows the Python rows, padded to {@code T}
 * @param contents the Python content ids (no start, end or padding; untruncated)
 */
record ParityFixture(Tokenizer tokenizer, int contextLength, List<String> texts, List<long[]> rows,
        List<int[]> contents) {

    /** Reads the fixture in a test-resource folder such as {@code /tokenizer-parity/}. */
    static ParityFixture load(String dir) throws Exception {
        JsonNode root;
        try (InputStream in = ParityFixture.class.getResourceAsStream(dir + "cases.json")) {
            root = new ObjectMapper().readTree(in);
        }
        int contextLength = root.get("contextLength").asInt();
        int pad = root.get("padId").asInt();
        List<String> texts = new ArrayList<>();
        List<long[]> rows = new ArrayList<>();
        List<int[]> contents = new ArrayList<>();
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
        Path file = Path.of(ParityFixture.class.getResource(dir + "tokenizer.json").toURI());
        return new ParityFixture(Tokenizer.load(file, contextLength), contextLength,
                List.copyOf(texts), List.copyOf(rows), List.copyOf(contents));
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    /** @return the first ten rows where Java's {@code encode} differs, described */
    List<String> rowMismatches() {
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < texts.size() && mismatches.size() < 10; i++) {
            long[] got = tokenizer.encode(texts.get(i));
            if (!Arrays.equals(rows.get(i), got)) {
                mismatches.add(String.format("case %d %s:%n  python %s%n  java   %s", i,
                        quote(texts.get(i)), Arrays.toString(rows.get(i)), Arrays.toString(got)));
            }
        }
        return mismatches;
    }

    /** The caption with every character outside printable ASCII as {@code \\u{HEX}}. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> sb.append(cp >= 32 && cp < 127
                ? String.valueOf((char) cp) : String.format("\\u{%X}", cp)));
        return sb.append('"').toString();
    }
}
