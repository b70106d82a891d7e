package dev.align.data.image;

import java.io.IOException;

/**
 * An encoded image that cannot be used, with the reason as a {@link Kind} so that a data pipeline
 * can count it under the right name instead of failing the run.
 */
public final class ImageDecodeException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Why an image was rejected. */
    public enum Kind {
        /** The bytes are not a valid image (unknown signature, bad header, truncated data). */
        CORRUPT("corrupt_image"),
        /** A known format that no installed ImageIO reader decodes (WebP without a plugin). */
        UNSUPPORTED("unsupported_image"),
        /** The header claims more pixels than allowed: a possible decompression bomb. */
        TOO_LARGE("too_large");

        private final String reason;

        Kind(String reason) {
            this.reason = reason;
        }

        /** The name this kind is counted under in skip metrics ({@code corrupt_image}, ...). */
        public String reason() {
            return reason;
        }
    }

    private final Kind kind;

    /**
     * @param kind why the image was rejected
     * @param message what was wrong, with the offending values
     * @param cause the decoder's exception, or {@code null}
     */
    public ImageDecodeException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** Why the image was rejected. */
    public Kind kind() {
        return kind;
    }
}
