package dev.align.data.imports;

/** Receives an import's progress (on the importing thread), e.g. to draw a progress line. */
@FunctionalInterface
public interface ImportListener {

    /** Does nothing. */
    ImportListener NONE = (written, skipped, total) -> { };

    /**
     * Called after every written or skipped item.
     *
     * @param written samples written so far
     * @param skipped items skipped so far
     * @param total items the importer expects to visit, or -1 if unknown
     */
    void progress(long written, long skipped, long total);
}
