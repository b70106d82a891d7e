package dev.align.train.config;

/** Where training pairs come from. */
public enum DataKind {
    /** Procedural coloured squares with captions, generated on the fly (no download). */
    SYNTHETIC,
    /** WebDataset shards (as {@code ./align data import} or img2dataset write them). */
    SHARDS
}
