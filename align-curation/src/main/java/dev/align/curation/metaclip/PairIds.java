package dev.align.curation.metaclip;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The stable pair id of a WebDataset sample, on which {@link MetaClipBalancer}'s coins depend: the
 * first 8 bytes, big-endian, of the SHA-256 of the sample key's UTF-8 bytes. It depends on the key
 * alone (not on the shard's path or the sample's position), so a local run and a distributed one
 * draw the same coins for the same pool.
 */
public final class PairIds {

    private PairIds() {}

    /**
     * @param key the sample key
     * @return its pair id
     */
    public static long of(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
