package dev.align.spark;

import java.io.Serializable;

/**
 * A pair scored on an executor, or a sample skipped while reading.
 *
 * @param shard the shard it came from
 * @param key its key
 * @param score the filter score; NaN when the image could not be decoded or for a skip
 * @param skip why the sample was skipped while reading ({@link dev.align.data.shards.SkipReason}
 *     key), or {@code null}
 */
public record ScoredRecord(String shard, String key, float score, String skip)
        implements Serializable {

    private static final long serialVersionUID = 1L;
}
