package dev.align.data.text;

import java.io.IOException;

/**
 * A {@code tokenizer.json} file cannot be used: it is not valid JSON, or it does not describe the
 * tokenizer the loader expects. The message names the file and the offending key or value.
 */
public final class TokenizerFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the file and the key
     */
    public TokenizerFormatException(String message) {
        super(message);
    }

    /**
     * Creates the exception with the lower-level problem that revealed it.
     *
     * @param message what is wrong, naming the file and the key
     * @param cause the parser error
     */
    public TokenizerFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
