package dev.align.curation.internal;

/**
 * Counts occurrences of 64-bit keys (hashes of n-grams, captions, images) in an open-addressing
 * table without boxing: 12 bytes per slot instead of about 80 for a {@code HashMap<Long, Long>}, so
 * tens of millions of distinct bigrams fit. Not thread-safe.
 */
public final class LongCounter {

    private static final int MAX_COUNT = Integer.MAX_VALUE;
    private long[] keys;
    private int[] counts;    // 0 = empty slot
    private int size;
    private int mask;

    /** An empty counter. */
    public LongCounter() {
        keys = new long[16];
        counts = new int[16];
        mask = 15;
    }

    /** Adds one occurrence of {@code key}; returns the new count (saturates at 2^31 - 1). */
    public int add(long key) {
        int slot = find(key);
        if (counts[slot] == 0) {
            keys[slot] = key;
            counts[slot] = 1;
            if (++size * 4L > keys.length * 3L) {
                grow();
            }
            return 1;
        }
        if (counts[slot] < MAX_COUNT) {
            counts[slot]++;
        }
        return counts[slot];
    }

    /** The count of {@code key}, 0 if never added. */
    public int get(long key) {
        return counts[find(key)];
    }

    /** Distinct keys added. */
    public int size() {
        return size;
    }

    /** All counts, in no particular order. */
    public int[] counts() {
        int[] out = new int[size];
        int n = 0;
        for (int c : counts) {
            if (c != 0) {
                out[n++] = c;
            }
        }
        return out;
    }

    private int find(long key) {
        for (int slot = mix(key) & mask; ; slot = (slot + 1) & mask) {
            if (counts[slot] == 0 || keys[slot] == key) {
                return slot;
            }
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldCounts = counts;
        keys = new long[oldKeys.length * 2];
        counts = new int[oldKeys.length * 2];
        mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldCounts[i] != 0) {
                int slot = find(oldKeys[i]);
                keys[slot] = oldKeys[i];
                counts[slot] = oldCounts[i];
            }
        }
    }

    private static int mix(long k) {
        k = (k ^ (k >>> 33)) * 0xff51afd7ed558ccdL;
        return (int) (k ^ (k >>> 32));
    }

    @Override
    public String toString() {
        return "LongCounter[size=" + size + ", slots=" + keys.length + "]";
    }
}
