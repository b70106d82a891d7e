package dev.align.data.shards;

import static dev.align.core.Checks.checkArgument;

import dev.align.data.image.ImageDecoder;
import java.util.List;

/**
 * How a {@link ShardReader} reads a list of shards. Immutable; change a setting with a
 * {@code withX} method.
 *
 * @param shards shard file paths, in their listed order (expand braces with
 *     {@link ShardPattern#expand})
 * @param seed seeds the shard shuffle and the sample shuffle buffer (mixed with the epoch)
 * @param shuffleShards whether each epoch reads the shards in a seeded random order
 * @param shuffleBuffer samples held in the shuffle buffer; 0 or 1 keeps the read order
 * @param readerThreads shards read ahead in parallel, each by its own thread, {@code >= 1}
 * @param maxImagePixels image headers claiming more pixels are skipped as {@code too_large}
 * @param maxMemberBytes tar members larger than this are skipped as {@code oversized_member}
 * @param interleave shards read at the same time, their samples interleaved in a seeded random
 *     order before the shuffle buffer (as several WebDataset workers, each reading its own
 *     shard), {@code >= 1}; 1 reads one shard after the other
 */
public record ShardReaderOptions(List<String> shards, long seed, boolean shuffleShards,
        int shuffleBuffer, int readerThreads, long maxImagePixels, long maxMemberBytes,
        int interleave) {

    /** The default member size limit, 256 MiB. */
    public static final long DEFAULT_MAX_MEMBER_BYTES = 256L << 20;

    /** Checks every setting. */
    public ShardReaderOptions {
        checkArgument(shards != null && !shards.isEmpty(), "the shard list is empty");
        shards = List.copyOf(shards);
        checkArgument(shuffleBuffer >= 0, "shuffleBuffer must be >= 0, got %s", shuffleBuffer);
        checkArgument(readerThreads >= 1 && readerThreads <= 256,
                "readerThreads must be in [1, 256], got %s", readerThreads);
        checkArgument(maxImagePixels > 0, "maxImagePixels must be > 0, got %s", maxImagePixels);
        checkArgument(maxMemberBytes > 0 && maxMemberBytes <= Integer.MAX_VALUE - 8,
                "maxMemberBytes must be in [1, 2^31 - 9], got %s", maxMemberBytes);
        checkArgument(interleave >= 1 && interleave <= 256,
                "interleave must be in [1, 256] shards, got %s", interleave);
    }

    /** As the canonical constructor, reading one shard after the other ({@code interleave} 1). */
    public ShardReaderOptions(List<String> shards, long seed, boolean shuffleShards,
            int shuffleBuffer, int readerThreads, long maxImagePixels, long maxMemberBytes) {
        this(shards, seed, shuffleShards, shuffleBuffer, readerThreads, maxImagePixels,
                maxMemberBytes, 1);
    }

    /**
     * Reads the shards {@code pattern} expands to (see {@link ShardPattern}) in order, one
     * thread, one shard at a time, no shuffles, seed 0, Pillow's pixel limit.
     */
    public static ShardReaderOptions of(String pattern) {
        return new ShardReaderOptions(ShardPattern.expand(pattern), 0, false, 0, 1,
                ImageDecoder.DEFAULT_MAX_PIXELS, DEFAULT_MAX_MEMBER_BYTES, 1);
    }

    /** With another seed. */
    public ShardReaderOptions withSeed(long seed) {
        return new ShardReaderOptions(shards, seed, shuffleShards, shuffleBuffer, readerThreads,
                maxImagePixels, maxMemberBytes, interleave);
    }

    /** With shard shuffling on or off. */
    public ShardReaderOptions withShuffleShards(boolean shuffleShards) {
        return new ShardReaderOptions(shards, seed, shuffleShards, shuffleBuffer, readerThreads,
                maxImagePixels, maxMemberBytes, interleave);
    }

    /** With another shuffle buffer size (0 = off). */
    public ShardReaderOptions withShuffleBuffer(int shuffleBuffer) {
        return new ShardReaderOptions(shards, seed, shuffleShards, shuffleBuffer, readerThreads,
                maxImagePixels, maxMemberBytes, interleave);
    }

    /** With another number of reader threads. */
    public ShardReaderOptions withReaderThreads(int readerThreads) {
        return new ShardReaderOptions(shards, seed, shuffleShards, shuffleBuffer, readerThreads,
                maxImagePixels, maxMemberBytes, interleave);
    }

    /** With another image pixel limit. */
    public ShardReaderOptions withMaxImagePixels(long maxImagePixels) {
        return new ShardReaderOptions(shards, seed, shuffleShards, shuffleBuffer, readerThreads,
                maxImagePixels, maxMemberBytes, interleave);
    }

    /** With another member size limit. */
    public ShardReaderOptions withMaxMemberBytes(long maxMemberBytes) {
        return new ShardReaderOptions(shards, seed, shuffleShards, shuffleBuffer, readerThreads,
                maxImagePixels, maxMemberBytes, interleave);
    }

    /** With another number of shards read at the same time and interleaved. */
    public ShardReaderOptions withInterleave(int interleave) {
        return new ShardReaderOptions(shards, seed, shuffleShards, shuffleBuffer, readerThreads,
                maxImagePixels, maxMemberBytes, interleave);
    }

    /**
     * The stored order: shards as listed, one at a time, no shuffle buffer (what inspection and
     * evaluation read).
     */
    public ShardReaderOptions inStoredOrder() {
        return new ShardReaderOptions(shards, seed, false, 0, readerThreads, maxImagePixels,
                maxMemberBytes, 1);
    }
}
