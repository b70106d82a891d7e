package dev.align.core.data;

import static dev.align.core.Checks.checkArgument;

import java.util.List;

/**
 * A batch of image-text pairs ready for a dual encoder, as flat row-major arrays (no boxing, no
 * tensors, so any thread can build one).
 *
 * @param keys sample keys (e.g. WebDataset keys), one per pair, for provenance and error messages
 * @param imageSize side S of the square images
 * @param pixels normalised pixels {@code [B, 3, S, S]}, channel-major
 * @param contextLength tokens per text T
 * @param tokenIds token ids {@code [B, T]}, padded
 */
public record ImageTextBatch(List<String> keys, int imageSize, float[] pixels, int contextLength,
        long[] tokenIds) {

    /** Checks that the arrays have {@code B = keys.size()} rows of the stated sizes. */
    public ImageTextBatch {
        keys = List.copyOf(keys);
        int b = keys.size();
        checkArgument(imageSize > 0 && contextLength > 0,
                "imageSize and contextLength must be > 0, got %s and %s", imageSize, contextLength);
        checkArgument(pixels.length == (long) b * 3 * imageSize * imageSize,
                "pixels must hold [%s, 3, %s, %s] = %s values, got %s", b, imageSize, imageSize,
                (long) b * 3 * imageSize * imageSize, pixels.length);
        checkArgument(tokenIds.length == (long) b * contextLength,
                "tokenIds must hold [%s, %s] = %s values, got %s", b, contextLength,
                (long) b * contextLength, tokenIds.length);
    }

    /** Number of pairs B. */
    public int size() {
        return keys.size();
    }
}
