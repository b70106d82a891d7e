package dev.align.models.config;

/** Which token's features represent a whole text. */
public enum TextPool {
    /**
     * The token at the position of the largest token id, which for CLIP's tokenizer is the
     * end-of-text token (OpenCLIP's {@code pool_type="argmax"}). Use with a causal tower.
     */
    ARGMAX,
    /** The first token ({@code [CLS]}), as ALIGN's BERT text tower. Use with a bidirectional tower. */
    FIRST;

    /**
     * The pooled position of each row of {@code ids [B, T]} (row-major): for {@link #ARGMAX} the
     * first largest id, for {@link #FIRST} 0. The text tower and the serving encoder both pool
     * here, so that they agree.
     *
     * @param ids token ids, {@code b * t} of them
     * @param b rows
     * @param t ids per row, {@code >= 1}
     * @return {@code b} positions in {@code [0, t)}
     */
    public int[] positions(long[] ids, int b, int t) {
        int[] position = new int[b];
        if (this == FIRST) {
            return position;
        }
        for (int r = 0; r < b; r++) {
            int best = 0;
            for (int c = 1; c < t; c++) {
                if (ids[r * t + c] > ids[r * t + best]) {
                    best = c;
                }
            }
            position[r] = best;
        }
        return position;
    }
}
