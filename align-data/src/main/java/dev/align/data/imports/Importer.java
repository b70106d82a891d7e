package dev.align.data.imports;

import java.io.IOException;

/**
 * Turns one data set into training shards (see the package documentation for the output
 * layout). An importer is a one-shot object configured with its source; {@link #run} may be
 * called once per output folder.
 */
public interface Importer {

    /** The kind name used on the command line ({@code synthetic}, {@code emoji}, ...). */
    String kind();

    /**
     * Imports into {@code options.out()}.
     *
     * @throws IOException if the source cannot be read or the output cannot be written
     * @throws IllegalArgumentException if the source folder does not have the expected layout
     *     (the message names the missing file and the fetch command), or the output folder
     *     already holds shards
     */
    ImportSummary run(ImportOptions options, ImportListener listener) throws IOException;
}
