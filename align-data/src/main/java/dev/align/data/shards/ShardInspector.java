package dev.align.data.shards;

import static dev.align.core.Checks.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Summarises shards in one pass: samples, members by extension, a caption length histogram, the
 * skips by reason, and an {@link OrderReport} on how alike neighbouring samples are (repeated
 * {@code .json} field values, overlapping captions) against a random order, with warnings when
 * the stored order would starve training. Images are checked from their headers only (as
 * {@link ShardReader} does), so a pass costs about one read of the bytes.
 */
public final class ShardInspector {

    /** Captions sampled for the random-pair baseline of the order check. */
    public static final int CAPTION_SAMPLE = 2000;

    /** Lower bounds of the caption length bins, in words; the last bin is open. */
    private static final int[] BIN_STARTS = {1, 2, 4, 8, 16, 32, 64, 128};

    private ShardInspector() {}

    /**
     * Summarises the shards a brace pattern names (see {@link ShardPattern}), in listed order
     * with up to 4 reader threads.
     *
     * @throws IllegalArgumentException if the pattern is malformed
     */
    public static ShardSummary inspect(String pattern) {
        ShardReaderOptions options = ShardReaderOptions.of(pattern);
        return inspect(options.withReaderThreads(Math.min(4, options.shards().size())));
    }

    /** Summarises the shards {@code options} names, in their stored order. */
    public static ShardSummary inspect(ShardReaderOptions options) {
        checkArgument(options != null, "options is null");
        ShardReaderOptions plain = options.inStoredOrder();
        Map<String, Long> members = new TreeMap<>();
        long[] bins = new long[BIN_STARTS.length];
        long samples = 0;
        OrderCheck order = new OrderCheck();
        Map<String, Long> skipped;
        try (ShardReader reader = ShardReader.open(plain, 0)) {
            while (reader.hasNext()) {
                Sample s = reader.next();
                samples++;
                for (String ext : s.members().keySet()) {
                    members.merge(ext, 1L, Long::sum);
                }
                bins[bin(words(s.caption()))]++;
                order.accept(s);
            }
            skipped = reader.skipped();
        }
        List<CaptionLengthBin> histogram = new ArrayList<>();
        for (int i = 0; i < BIN_STARTS.length; i++) {
            int max = i + 1 < BIN_STARTS.length ? BIN_STARTS[i + 1] - 1 : Integer.MAX_VALUE;
            histogram.add(new CaptionLengthBin(BIN_STARTS[i], max, bins[i]));
        }
        return new ShardSummary(options.shards().size(), samples, members, histogram, skipped,
                order.report());
    }

    /** Whitespace-separated words; captions from the reader are never blank. */
    static int words(String caption) {
        String t = caption.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    private static int bin(int words) {
        int i = 0;
        while (i + 1 < BIN_STARTS.length && words >= BIN_STARTS[i + 1]) {
            i++;
        }
        return i;
    }
}
