package dev.align.eval.embed;

/**
 * An input that could not be embedded.
 *
 * @param index position of the input in the list given to the encoder
 * @param input what the input was (a file path, or {@code #index} for bytes)
 * @param reason a counter name: {@code corrupt_image}, {@code unsupported_image},
 *     {@code too_large} (as the shard reader counts them) or {@code unreadable_file}
 * @param message what went wrong, for a log line
 */
public record EmbeddingFailure(int index, String input, String reason, String message) {}
