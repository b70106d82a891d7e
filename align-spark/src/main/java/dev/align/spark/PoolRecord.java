package dev.align.spark;

import java.io.Serializable;

/**
 * One row of a pool as the Spark jobs read it: a pair, or the record of a sample that could not
 * be read (then {@code skip} names why, as {@link dev.align.data.shards.SkipReason#key()} does,
 * and the caption is null). Skips travel with the data, not in accumulators, so their counts are
 * exact even when Spark retries a task.
 *
 * @param shard the shard the sample came from, or {@code null} for a table row
 * @param key the pair's key ({@code ""} when a shard failed before any key was read)
 * @param caption the caption, or {@code null} for a skip
 * @param skip why the sample was skipped, or {@code null} for a valid pair
 */
public record PoolRecord(String shard, String key, String caption, String skip)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** @return a valid pair */
    public static PoolRecord pair(String shard, String key, String caption) {
        return new PoolRecord(shard, key, caption, null);
    }

    /** @return whether this is a valid pair rather than a skip */
    public boolean isPair() {
        return skip == null;
    }
}
