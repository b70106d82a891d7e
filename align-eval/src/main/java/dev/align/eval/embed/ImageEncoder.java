package dev.align.eval.embed;

import java.nio.file.Path;
import java.util.List;

/**
 * Turns images into L2-normalised embeddings. Images that cannot be read or decoded are skipped
 * and reported in the {@link EmbeddingResult}, never thrown. Implementations are thread-safe.
 */
public interface ImageEncoder {

    /** {@code E}, the length of every embedding. */
    int embeddingDim();

    /**
     * Embeds image files.
     *
     * @param files {@code N} image files (any format the decoder reads)
     * @return one row per file, {@code null} for a file that failed, with the failures listed
     */
    EmbeddingResult encodeImageFiles(List<Path> files);

    /**
     * Embeds encoded images (PNG, JPEG, ... bytes).
     *
     * @param images {@code N} encoded images
     * @return one row per image, {@code null} for an image that failed, with the failures listed
     */
    EmbeddingResult encodeEncodedImages(List<byte[]> images);
}
