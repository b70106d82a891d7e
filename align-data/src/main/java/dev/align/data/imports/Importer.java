package dev.align.data.imports;

import java.io.IOException;

/**
 * Turns one data set into training shards (see the package documentation for the output
 * layout). An importer is a one-shot object configured with its source; {@link #run} may be
 * called once per output folder.
 *
 * <p>Order: sources list their items grouped (by category, by folder, skin tones side by side),
 * and shards that keep that order starve contrastive training: a reader's shuffle buffer smaller
 * than a group fills every batch with near-duplicates, which are false negatives of each other.
 * So importers write their samples in a random order seeded by {@link ImportOptions#seed()} (the
 * same seed gives byte-identical shards), as web-scale shards come, keys numbered in that order;
 * each sample's {@code .json} keeps its source identity (what it is and where it came from).
 * Only the procedural set, whose samples are independent random draws already, keeps the order
 * it draws them in.
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
