package dev.align.data.imports;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an import wrote, saved as {@code import.json} beside the shards and printed by
 * {@code ./align data import}.
 *
 * @param kind the importer ({@code synthetic}, {@code emoji}, ...)
 * @param shards the shards as a brace pattern, ready for a training config's {@code data.shards}
 * @param shardFiles number of shard files
 * @param samples samples written
 * @param skipped source items skipped, by reason (snake case)
 * @param tokenizer the trained {@code tokenizer.json}
 * @param vocabSize ids in that tokenizer (fewer than asked when the captions run out of pairs)
 * @param contextLength tokens per caption it encodes to
 * @param eval the ImageFolder evaluation set ({@code eval/}), or {@code null} if none
 * @param evalClasses classes (sub-folders) of the evaluation set
 * @param evalImages images in the evaluation set
 * @param seconds wall time of the import
 */
public record ImportSummary(String kind, String shards, int shardFiles, long samples,
        Map<String, Long> skipped, String tokenizer, int vocabSize, int contextLength, String eval,
        int evalClasses, long evalImages, double seconds) {

    /** Copies the skip counts into a sorted, unmodifiable map. */
    public ImportSummary {
        skipped = Collections.unmodifiableMap(new TreeMap<>(skipped));
    }
}
