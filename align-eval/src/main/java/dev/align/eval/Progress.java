package dev.align.eval;

/** Receives progress of a long evaluation; called on the evaluating thread. */
@FunctionalInterface
public interface Progress {

    /** Does nothing. */
    Progress NONE = (done, total) -> {};

    /**
     * Reports that {@code done} of {@code total} items are processed.
     *
     * @param done items processed so far
     * @param total items in all, or {@code -1} while unknown (streamed data)
     */
    void update(long done, long total);
}
