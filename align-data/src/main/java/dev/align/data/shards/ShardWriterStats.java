package dev.align.data.shards;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a {@link ShardWriter} wrote, saved as {@code stats.json} beside the shards.
 *
 * @param shards shard files written
 * @param samples samples written
 * @param imageBytes total bytes of the image members
 * @param captionBytes total UTF-8 bytes of the captions
 * @param jsonMembers samples that carry a {@code KEY.json} member
 * @param imagesByExtension image members by extension, sorted by name
 */
public record ShardWriterStats(int shards, long samples, long imageBytes, long captionBytes,
        long jsonMembers, Map<String, Long> imagesByExtension) {

    /** Copies the map into a sorted, unmodifiable one. */
    public ShardWriterStats {
        imagesByExtension = java.util.Collections.unmodifiableMap(
                new TreeMap<>(imagesByExtension));
    }
}
