package dev.align.curation.rules;

import dev.align.core.Checks;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * What the ALIGN rules need of an image: its size and its identity by content.
 *
 * @param width pixels, {@code >= 1}
 * @param height pixels, {@code >= 1}
 * @param contentHash the first 8 bytes (big-endian) of the SHA-256 of the encoded image bytes: two
 *     byte-identical images are the same image, whatever their keys
 */
public record ImageFacts(int width, int height, long contentHash) {

    /** Checks the size. */
    public ImageFacts {
        Checks.checkArgument(width >= 1 && height >= 1, "image size must be positive, got %sx%s",
                width, height);
    }

    /**
     * @param encoded the encoded image bytes
     * @param width its decoded width
     * @param height its decoded height
     * @return the facts, with the content hash of {@code encoded}
     */
    public static ImageFacts of(byte[] encoded, int width, int height) {
        return new ImageFacts(width, height, contentHash(encoded));
    }

    /** The first 8 bytes, big-endian, of {@code SHA-256(bytes)}. */
    public static long contentHash(byte[] bytes) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(bytes)).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
