package dev.align.data.text;

import dev.align.core.Checks;

/** The row layout every {@link Tokenizer} shares, in one place so all agree on truncation. */
final class Rows {

    private Rows() {}

    static void checkContextLength(int contextLength) {
        Checks.checkArgument(contextLength >= 2,
                "contextLength must be >= 2 to hold the start and end tokens, got %s", contextLength);
    }

    /**
     * {@code [start, content[0..k), end, pad...]} of length {@code t}, with
     * {@code k = min(n, t - 2)}: as CLIP, a long caption loses its tail but keeps the end token.
     */
    static void frame(int[] content, int n, long[] out, int offset, int t, int start, int end, int pad) {
        int k = Math.min(n, t - 2);
        out[offset] = start;
        for (int i = 0; i < k; i++) {
            out[offset + 1 + i] = content[i];
        }
        out[offset + 1 + k] = end;
        for (int i = offset + 2 + k; i < offset + t; i++) {
            out[i] = pad;
        }
    }
}
