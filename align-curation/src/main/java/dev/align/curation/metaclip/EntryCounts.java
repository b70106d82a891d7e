package dev.align.curation.metaclip;

import dev.align.core.Checks;

import java.util.Arrays;
import java.util.List;

/**
 * MetaCLIP's entry counts over a pool: {@code count[e]} is the number of pairs whose caption matched
 * entry {@code e} (one per (pair, entry) match). Immutable. Counts of disjoint shards add up with
 * {@link #plus}, so a pool can be counted shard by shard in any order.
 */
public final class EntryCounts {

    private final long[] counts;
    private final long totalMatches;

    private EntryCounts(long[] counts) {
        this.counts = counts;
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        this.totalMatches = total;
    }

    /**
     * Counts the matches of a pool or of one shard.
     *
     * @param numEntries size of the metadata list
     * @param matches per pair, its distinct matched entry ids (as {@link MetadataMatcher} returns)
     * @return the counts
     * @throws IllegalArgumentException if an id is outside {@code [0, numEntries)}
     */
    public static EntryCounts count(int numEntries, List<int[]> matches) {
        Checks.checkArgument(numEntries >= 0, "numEntries must be >= 0, got %s", numEntries);
        long[] c = new long[numEntries];
        for (int i = 0; i < matches.size(); i++) {
            for (int e : matches.get(i)) {
                if (e < 0 || e >= numEntries) { // no varargs boxing on the hot path
                    throw new IllegalArgumentException(String.format(
                            "pair %s matched entry %s, outside [0, %s)", i, e, numEntries));
                }
                c[e]++;
            }
        }
        return new EntryCounts(c);
    }

    /**
     * Wraps counts computed elsewhere (for example read back from a file).
     *
     * @param counts {@code count[e]} per entry, each {@code >= 0}; copied
     * @return the counts
     */
    public static EntryCounts of(long[] counts) {
        for (int e = 0; e < counts.length; e++) {
            Checks.checkArgument(counts[e] >= 0, "count of entry %s is negative: %s", e, counts[e]);
        }
        return new EntryCounts(counts.clone());
    }

    /**
     * Adds the counts of another, disjoint shard of the same pool.
     *
     * @param other counts over the same metadata list
     * @return the summed counts
     */
    public EntryCounts plus(EntryCounts other) {
        Checks.checkArgument(other.counts.length == counts.length,
                "counts over %s entries cannot be added to counts over %s entries",
                other.counts.length, counts.length);
        long[] sum = counts.clone();
        for (int e = 0; e < sum.length; e++) {
            sum[e] += other.counts[e];
        }
        return new EntryCounts(sum);
    }

    /** @return the size of the metadata list */
    public int numEntries() {
        return counts.length;
    }

    /**
     * @param entryId an entry id
     * @return the number of pairs that matched it
     */
    public long count(int entryId) {
        return counts[entryId];
    }

    /** @return the sum of all counts: the number of (pair, entry) matches */
    public long totalMatches() {
        return totalMatches;
    }

    /** @return a copy of all counts */
    public long[] toArray() {
        return counts.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EntryCounts other && Arrays.equals(counts, other.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "EntryCounts[entries=" + counts.length + ", matches=" + totalMatches + "]";
    }
}
