package dev.align.models.config;

/** Which token's features represent a whole text. */
public enum TextPool {
    /**
     * The token at the position of the largest token id, which for CLIP's tokenizer is the
     * end-of-text token (OpenCLIP's {@code pool_type="argmax"}). Use with a causal tower.
     */
    ARGMAX,
    /** The first token ({@code [CLS]}), as ALIGN's BERT text tower. Use with a bidirectional tower. */
    FIRST
}
