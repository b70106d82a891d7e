package dev.align.data.image;

import static dev.align.core.Checks.checkArgument;

/**
 * A rectangle of an image, in pixels.
 *
 * @param x left column
 * @param y top row
 * @param width columns, {@code > 0}
 * @param height rows, {@code > 0}
 */
public record CropBox(int x, int y, int width, int height) {

    /** Checks that the box is non-empty and starts inside the first quadrant. */
    public CropBox {
        checkArgument(x >= 0 && y >= 0 && width > 0 && height > 0,
                "crop box must be non-empty at x, y >= 0, got %s,%s %sx%s", x, y, width, height);
    }
}
