package dev.align.data.shards;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a set of shards holds, for {@code ./align data inspect}; serialise it with
 * {@code Json.write}.
 *
 * @param shards shard files listed
 * @param samples valid samples (image and non-empty UTF-8 caption, image header readable)
 * @param membersByExtension members of the valid samples by extension ({@code jpg}, {@code txt},
 *     {@code json}, ...), sorted by name
 * @param captionWords caption lengths in words, in the fixed bins 1, 2-3, 4-7, ..., 64-127, 128+
 * @param skipped skipped shards, members and samples by reason, sorted by name
 * @param order how alike neighbouring samples are in the stored order, with warnings
 */
public record ShardSummary(int shards, long samples, Map<String, Long> membersByExtension,
        List<CaptionLengthBin> captionWords, Map<String, Long> skipped, OrderReport order) {

    /** Copies the collections into sorted, unmodifiable ones. */
    public ShardSummary {
        membersByExtension = Collections.unmodifiableMap(new TreeMap<>(membersByExtension));
        captionWords = List.copyOf(captionWords);
        skipped = Collections.unmodifiableMap(new TreeMap<>(skipped));
    }
}
