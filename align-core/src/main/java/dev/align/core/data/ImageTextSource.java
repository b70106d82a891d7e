package dev.align.core.data;

import java.io.IOException;

/**
 * An endless, deterministic stream of image-text pairs: when one pass over the data ends the next
 * begins (in a new order if the source shuffles). Its whole state is the number of pairs it has
 * delivered, so a training run checkpoints {@link #position()} and resumes with
 * {@link #seek(long)}: a source built with the same settings and seeked to {@code p} delivers
 * exactly the pairs an uninterrupted source delivers after {@code p}.
 */
public interface ImageTextSource extends AutoCloseable {

    /**
     * The next {@code batchSize} pairs. Corrupt samples are skipped and counted, never thrown.
     *
     * @throws IOException if the underlying data cannot be read at all
     */
    ImageTextBatch next(int batchSize) throws IOException;

    /** Pairs delivered so far. */
    long position();

    /** Moves to {@code position} pairs from the start, as if that many had been delivered. */
    void seek(long position) throws IOException;

    /** Samples skipped so far because they were corrupt, by reason (for the metrics). */
    default java.util.Map<String, Long> skipped() {
        return java.util.Map.of();
    }

    @Override
    default void close() throws IOException {}
}
