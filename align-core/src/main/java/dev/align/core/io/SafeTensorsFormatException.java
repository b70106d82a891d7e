package dev.align.core.io;

import java.io.IOException;

/**
 * A safetensors file is broken or malicious: its header is not what the format allows, or its
 * data does not match the header. The message names the file, the tensor and the offending values.
 */
public final class SafeTensorsFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the file, the tensor and the values
     */
    public SafeTensorsFormatException(String message) {
        super(message);
    }

    /**
     * Creates the exception with the lower-level problem that revealed it.
     *
     * @param message what is wrong, naming the file, the tensor and the values
     * @param cause the parser or decoder error
     */
    public SafeTensorsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
