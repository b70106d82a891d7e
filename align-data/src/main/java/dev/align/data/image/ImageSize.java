package dev.align.data.image;

import static dev.align.core.Checks.checkArgument;

/**
 * Width and height of an image in pixels, as its header states them.
 *
 * @param width pixels per row, {@code > 0}
 * @param height rows, {@code > 0}
 */
public record ImageSize(int width, int height) {

    /** Checks that both sides are positive. */
    public ImageSize {
        checkArgument(width > 0 && height > 0, "image size must be positive, got %sx%s",
                width, height);
    }

    /** {@code width * height}, without overflow. */
    public long pixels() {
        return (long) width * height;
    }
}
