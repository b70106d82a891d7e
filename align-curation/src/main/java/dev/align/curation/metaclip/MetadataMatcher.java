package dev.align.curation.metaclip;

import dev.align.curation.internal.ParallelBlocks;

import dev.align.core.Checks;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds, for a caption, every metadata entry that MetaCLIP's substring matching finds, with exactly
 * MetaCLIP's semantics (facebookresearch/MetaCLIP, {@code metaclip/substr_matching.py}):
 * entry {@code e} matches caption {@code c} when {@code " " + e + " "} is a case-sensitive substring
 * of {@code spacing(c)}, where {@code spacing} pads {@code c} with one space on each side, wraps
 * each of {@code , . ; : ? !} and the backtick in spaces ({@code "," -> " , "}) and turns tab,
 * newline and carriage return into spaces. Spaces are never collapsed: {@code "cat, dog"} becomes
 * {@code " cat ,  dog "}, so the entry {@code "cat dog"} does not match it.
 *
 * <p><b>How.</b> Both sides are split on single spaces into tokens (empty tokens kept). Because the
 * pattern is delimited by spaces, {@code " e "} occurs in {@code spacing(c)} exactly when the tokens
 * of {@code e} occur as consecutive tokens of {@code spacing(c)} that lie strictly between two of
 * its spaces. The matcher is therefore a trie over words: a caption is tokenised on the fly from its
 * UTF-16 chars without building the spaced string, each token is looked up once in a word table,
 * and from each token a walk follows the trie for at most the longest entry's token count,
 * reporting the entries that end at each node. This is linear in the caption length (times that
 * small constant) and needs no failure links. Tokens that hold a char MetaCLIP blanks, or a char
 * it wraps next to other chars, never equal a caption token, so entries with such a token can never
 * match (as in MetaCLIP) and are left out of the tables.
 *
 * <p><b>Layout.</b> Matching is bound by memory latency (a 500k-entry list does not fit in cache),
 * so each step of a walk touches one cache line: a word's slot holds the word itself (up to 16
 * Latin-1 chars packed in two longs; longer or non-Latin-1 words keep a 64-bit hash there and their
 * chars in a side pool), its depth-1 node's entry and child flag, and a filter of the words that
 * can follow it (32 inline bits for a node with one or two children, else a Bloom filter of about
 * 16 bits per child), so that most next words that cannot follow never reach the edge table; an
 * edge's slot holds its key, the entry of the node it leads to, and that node's filter. A word's
 * id is its slot number, and a deeper node's id is the word-table size plus the slot of its
 * incoming edge, so no id maps are needed. A caption's word slots, and then its depth-2 edge
 * slots, are all touched before any is read, so that their cache misses overlap.
 *
 * <p>Instances are immutable and safe to share between threads. Entry ids are the 0-based indices
 * in the list given to {@link #build}; duplicate entries are all reported.
 */
public final class MetadataMatcher {

    private static final int[] NO_MATCH = new int[0];
    private static final String WRAPPED = ",.;:?!`";
    /** Per ASCII char: 0 = ordinary, 1 = becomes a space (or is one), 2 = wrapped in spaces. */
    private static final byte[] CHAR_CLASS = new byte[128];

    static {
        CHAR_CLASS[' '] = 1;
        CHAR_CLASS['\t'] = 1;
        CHAR_CLASS['\n'] = 1;
        CHAR_CLASS['\r'] = 1;
        for (int i = 0; i < WRAPPED.length(); i++) {
            CHAR_CLASS[WRAPPED.charAt(i)] = 2;
        }
    }

    /** Longest word whose chars are packed into its slot (two longs of 8 Latin-1 chars). */
    private static final int PACKED_CHARS = 16;
    /** Tag bit of a word kept in the pool (long or not Latin-1). */
    private static final int POOLED = 0x8000_0000;
    /** Tag of an empty word slot; no word has it (it would be a pooled word of 2^31 - 1 chars). */
    private static final int EMPTY_WORD = -1;
    private static final long EMPTY_EDGE = -1L;
    /**
     * Node info: {@code (first entry ending at the node + 1) << INFO_SHIFT}, 0 for none, and flags:
     * HAS_CHILDREN; DUP (more entries with the same tokens follow in {@code nextSameEntry});
     * BIG_FILTER (the node's filter of next words is a Bloom filter in {@code bloom}, not inline).
     */
    private static final int HAS_CHILDREN = 1;
    private static final int DUP = 2;
    private static final int BIG_FILTER = 4;
    private static final int INFO_SHIFT = 3;
    /** Nodes with more children than this get a Bloom filter of BLOOM_BITS bits per child. */
    private static final int INLINE_CHILDREN = 2;
    private static final int BLOOM_BITS = 16;
    private static final double LOAD = 0.6;

    // ---- word table, 4 longs per slot:
    // [0] the last 8 chars (one byte each, last char lowest) of a packed word, or the 64-bit hash
    //     of a pooled word; [1] the chars before those of a packed word, else 0 (see key);
    // [2] low int: tag = length (| POOLED), EMPTY_WORD for a free slot; high int: depth-1 node info;
    // [3] low int: filter of the next words (see mayHaveChild); high int: start of a pooled
    //     word's chars in `pool`.
    private final long[] words;
    private final int wordSlots;
    private final char[] pool;
    private final int numWords;
    // ---- edges, 2 longs per slot: [0] key parent << 32 | word slot, EMPTY_EDGE if free;
    // [1] low int: info of the child node; high int: its filter of next words.
    private final long[] edges;
    private final int edgeSlots;
    private final int numEdges;
    private final long[] bloom;            // Bloom filters of the next words of big nodes
    private final int[] nextSameEntry;     // [E] next entry with the same tokens, or -1; may be empty
    private final int numEntries;

    private MetadataMatcher(Builder b) {
        words = b.words;
        wordSlots = b.wordSlots;
        pool = b.pool;
        numWords = b.numWords;
        edges = b.edges;
        edgeSlots = b.edgeSlots;
        numEdges = b.numEdges;
        bloom = b.bloom;
        nextSameEntry = b.nextSameEntry;
        numEntries = b.numEntries;
    }

    /**
     * Builds the matcher for a metadata list.
     *
     * @param entries metadata entries; the id of an entry is its index in this list
     * @return an immutable matcher
     * @throws IllegalArgumentException if the list or one of its entries is null
     */
    public static MetadataMatcher build(List<String> entries) {
        Checks.checkArgument(entries != null, "entries must not be null");
        return new MetadataMatcher(new Builder(entries));
    }

    /** @return the number of metadata entries (ids are {@code 0 .. numEntries() - 1}) */
    public int numEntries() {
        return numEntries;
    }

    /** @return the number of distinct tokens over the entries that can match */
    public int numWords() {
        return numWords;
    }

    /** @return the number of trie nodes, root included */
    public int numNodes() {
        return 1 + numWords + numEdges;
    }

    /** @return the bytes held by the matcher's arrays (array headers included): its footprint */
    public long sizeInBytes() {
        return bytes(words.length, 8) + bytes(pool.length, 2) + bytes(bloom.length, 8)
                + bytes(edges.length, 8) + bytes(nextSameEntry.length, 4);
    }

    private static long bytes(int length, int elementBytes) {
        return 16 + (long) length * elementBytes;
    }

    /**
     * Matches one caption.
     *
     * @param caption the raw caption (not yet spaced)
     * @return the matched entry ids, ascending and distinct; empty if none matched
     */
    public int[] match(String caption) {
        Checks.checkArgument(caption != null, "caption must not be null");
        return match(caption, new Scratch());
    }

    /**
     * Matches many captions on {@code threads} threads. The result does not depend on the number of
     * threads: element {@code i} is {@code match(captions.get(i))}.
     *
     * @param captions raw captions
     * @param threads number of worker threads, at least 1 (1 runs on the calling thread)
     * @return one ascending, distinct id array per caption, in caption order
     * @throws IllegalArgumentException if {@code threads < 1} or a caption is null
     */
    public List<int[]> matchAll(List<String> captions, int threads) {
        Checks.checkArgument(threads >= 1, "threads must be >= 1, got %s", threads);
        Checks.checkArgument(captions != null, "captions must not be null");
        int n = captions.size();
        int[][] out = new int[n][];
        ParallelBlocks.forEach(n, 1024, n < 2048 ? 1 : threads, "metaclip-match", Scratch::new,
                (i, scratch) -> out[i] = matchChecked(captions.get(i), i, scratch));
        return Collections.unmodifiableList(Arrays.asList(out));
    }

    private int[] matchChecked(String caption, int index, Scratch s) {
        if (caption == null) {
            throw new IllegalArgumentException("caption " + index + " is null");
        }
        return match(caption, s);
    }

    /** Per-thread buffers, grown on demand; per token: its start, length, key and home slot. */
    private static final class Scratch {
        char[] chars = new char[0];
        int[] start = new int[0];
        int[] length = new int[0];
        int[] tag = new int[0];
        long[] p0 = new long[0];
        long[] p1 = new long[0];
        int[] home = new int[0];       // word home slot, then the word's slot (-1: no such word)
        int[] edgeHome = new int[0];   // home slot of the edge to the next token, or -1
        int[] hits = new int[64];
        long sink;                     // keeps the prefetching loads alive

        void ensure(int chars) {
            if (this.chars.length >= chars && start.length > 0) {
                return;
            }
            int n = Math.max(Math.max(chars, 64), 2 * this.chars.length);
            this.chars = new char[n];
            int tokens = 2 * n + 1; // each wrapped char adds one token
            start = new int[tokens];
            length = new int[tokens];
            tag = new int[tokens];
            p0 = new long[tokens];
            p1 = new long[tokens];
            home = new int[tokens];
            edgeHome = new int[tokens];
        }
    }

    private int[] match(String caption, Scratch s) {
        int n = caption.length();
        s.ensure(n);
        char[] buf = s.chars;
        caption.getChars(0, n, buf, 0);
        long[] w = words;

        // 1. Split into tokens, packing each token's chars while scanning them (see key); then
        //    its tag, key and home slot. A single wrapped char is its own token.
        int nt = 0;
        int from = 0;
        long q0 = 0;
        long q1 = 0;
        int any = 0;
        for (int i = 0; i < n; i++) {
            char c = buf[i];
            int cls = c < 128 ? CHAR_CLASS[c] : 0;
            if (cls == 0) {
                q1 = q1 << 8 | q0 >>> 56;
                q0 = q0 << 8 | c;
                any |= c;
            } else {
                // the space (or the space before a wrapped char) closes the current token
                token(s, nt++, buf, from, i - from, q0, q1, any);
                if (cls == 2) {
                    token(s, nt++, buf, i, 1, c, 0, c);
                }
                from = i + 1;
                q0 = 0;
                q1 = 0;
                any = 0;
            }
        }
        token(s, nt++, buf, from, n - from, q0, q1, any); // closed by the right padding space
        int[] start = s.start;
        int[] length = s.length;
        int[] tag = s.tag;
        long[] p0 = s.p0;
        long[] p1 = s.p1;
        int[] home = s.home;
        // 2. Touch every home slot before reading any: independent loads, so their cache misses
        //    overlap instead of queueing behind each other.
        long sink = 0;
        for (int t = 0; t < nt; t++) {
            sink += w[4 * home[t] + 2];
        }
        // 3. Resolve each token to its word slot, -1 if no entry has it.
        for (int t = 0; t < nt; t++) {
            home[t] = probeWord(home[t], tag[t], p0[t], p1[t], buf, start[t], length[t]);
        }
        // 4. Home slots of the depth-2 edges that the next-word filters let through, touched.
        int[] edgeHome = s.edgeHome;
        for (int t = 0; t + 1 < nt; t++) {
            int word = home[t];
            int next = home[t + 1];
            int eh = -1;
            if (word >= 0 && next >= 0) {
                int base = 4 * word;
                int info = (int) (w[base + 2] >>> 32);
                if (mayHaveChild(info, (int) w[base + 3], next)) {
                    eh = edgeHome(word, next);
                    sink += edges[2 * eh];
                }
            }
            edgeHome[t] = eh;
        }
        edgeHome[nt - 1] = -1;
        s.sink = sink;

        // 5. Walk the trie from every token, reporting the entries of each node reached.
        int[] hits = s.hits;
        int nh = 0;
        for (int t = 0; t < nt; t++) {
            int slot = home[t];
            if (slot < 0) {
                continue;
            }
            int info = (int) (w[4 * slot + 2] >>> 32);
            int filter = (int) w[4 * slot + 3];
            int node = slot;
            for (int j = t + 1; ; j++) {
                if (info >>> INFO_SHIFT != 0) {
                    if (nh + 1 >= hits.length) {
                        hits = s.hits = Arrays.copyOf(hits, 2 * hits.length);
                    }
                    int e = (info >>> INFO_SHIFT) - 1;
                    hits[nh++] = e;
                    if ((info & DUP) != 0) {
                        for (e = nextSameEntry[e]; e >= 0; e = nextSameEntry[e]) {
                            if (nh == hits.length) {
                                hits = s.hits = Arrays.copyOf(hits, 2 * hits.length);
                            }
                            hits[nh++] = e;
                        }
                    }
                }
                int edge;
                if (j == t + 1) {
                    int eh = edgeHome[t];
                    if (eh < 0) {
                        break;
                    }
                    edge = probeEdge(eh, ((long) node << 32) | home[j]);
                } else {
                    int next = j < nt ? home[j] : -1;
                    if (next < 0 || !mayHaveChild(info, filter, next)) {
                        break;
                    }
                    edge = probeEdge(edgeHome(node, next), ((long) node << 32) | next);
                }
                if (edge < 0) {
                    break;
                }
                long childInfo = edges[2 * edge + 1];
                info = (int) childInfo;
                filter = (int) (childInfo >>> 32);
                node = wordSlots + edge;
            }
        }
        if (nh == 0) {
            return NO_MATCH;
        }
        sortSmall(hits, nh);
        int m = 1;
        for (int i = 1; i < nh; i++) {
            if (hits[i] != hits[m - 1]) {
                hits[m++] = hits[i];
            }
        }
        return Arrays.copyOf(hits, m);
    }

    /** Stores token {@code t}: its place, and the tag, key and home slot {@link #key} gives. */
    private void token(Scratch s, int t, char[] buf, int from, int len, long q0, long q1,
            int any) {
        s.start[t] = from;
        s.length[t] = len;
        long h;
        if (len <= PACKED_CHARS && any <= 0xFF) {
            s.tag[t] = len;
            s.p0[t] = q0;
            s.p1[t] = q1;
            h = packedHash(q0, q1, len);
        } else {
            h = charsHash(buf, from, len);
            s.tag[t] = len | POOLED;
            s.p0[t] = h;
            s.p1[t] = 0;
        }
        s.home[t] = range(h, wordSlots);
    }

    /**
     * @return false if the node with this info and filter has no child by word slot {@code next};
     *     true if it may have one (a false positive costs one edge probe)
     */
    private boolean mayHaveChild(int info, int filter, int next) {
        if ((info & HAS_CHILDREN) == 0) {
            return false;
        }
        long g = next * 0x9E3779B97F4A7C15L;
        if ((info & BIG_FILTER) == 0) {
            return (filter >>> (g >>> 59) & 1) != 0;
        }
        // a Bloom filter of 2^(filter & 63) bits (one hash) at long (filter >>> 6) of `bloom`
        long bit = g >>> -(filter & 63);
        return (bloom[(filter >>> 6) + (int) (bit >>> 6)] & (1L << bit)) != 0;
    }

    private static void sortSmall(int[] a, int n) {
        if (n > 48) {
            Arrays.sort(a, 0, n);
            return;
        }
        for (int i = 1; i < n; i++) {
            int v = a[i];
            int j = i - 1;
            while (j >= 0 && a[j] > v) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = v;
        }
    }

    /** @return the slot of the word {@code buf[from, from + len)}, or -1 if no entry has it */
    private static int findWord(long[] table, int slots, char[] pool, char[] buf, int from,
            int len, long[] key) {
        int tag = key(buf, from, len, key);
        return probeWord(table, slots, pool, range(key[2], slots), tag, key[0], key[1], buf, from,
                len);
    }

    private int probeWord(int home, int tag, long p0, long p1, char[] buf, int from, int len) {
        return probeWord(words, wordSlots, pool, home, tag, p0, p1, buf, from, len);
    }

    /** Linear probing from {@code home} for the word with this key; -1 if absent. */
    private static int probeWord(long[] table, int slots, char[] pool, int home, int tag, long p0,
            long p1, char[] buf, int from, int len) {
        for (int slot = home; ; ) {
            int base = 4 * slot;
            int t = (int) table[base + 2];
            if (t == tag && table[base] == p0 && table[base + 1] == p1
                    && (tag >= 0
                        || samePooled(pool, (int) (table[base + 3] >>> 32), buf, from, len))) {
                return slot;
            }
            if (t == EMPTY_WORD) {
                return -1;
            }
            if (++slot == slots) {
                slot = 0;
            }
        }
    }

    /**
     * Computes a word's key: a word of at most 16 Latin-1 chars is packed one byte per char,
     * last char lowest, into {@code key[0]} (the last 8 chars) and {@code key[1]} (the chars
     * before those), which with the length identifies it; any other word is "pooled" and has its
     * hash in {@code key[0]} and 0 in {@code key[1]}. {@code key[2]} gets the hash that places the
     * word in the table. (The matching loop packs the same way while it scans a caption.)
     *
     * @return the word's tag: its length, with the POOLED bit for a pooled word
     */
    private static int key(char[] buf, int from, int len, long[] key) {
        if (len <= PACKED_CHARS) {
            long p0 = 0;
            long p1 = 0;
            int any = 0;
            for (int k = 0; k < len; k++) {
                char c = buf[from + k];
                p1 = p1 << 8 | p0 >>> 56;
                p0 = p0 << 8 | c;
                any |= c;
            }
            if (any <= 0xFF) {
                key[0] = p0;
                key[1] = p1;
                key[2] = packedHash(p0, p1, len);
                return len;
            }
        }
        long h = charsHash(buf, from, len);
        key[0] = h;
        key[1] = 0;
        key[2] = h;
        return len | POOLED;
    }

    private static boolean samePooled(char[] pool, int at, char[] buf, int from, int len) {
        return Arrays.equals(pool, at, at + len, buf, from, from + len);
    }

    private static long packedHash(long p0, long p1, int len) {
        return fmix(p0 * 0x9E3779B97F4A7C15L ^ (p1 + len) * 0xC2B2AE3D27D4EB4FL);
    }

    private static long charsHash(char[] buf, int from, int len) {
        long h = len;
        for (int k = 0; k < len; k++) {
            h = (h + buf[from + k]) * 0x9E3779B97F4A7C15L;
        }
        return fmix(h);
    }

    private static long fmix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h;
    }

    /** Maps the high 32 bits of a hash onto {@code [0, n)} (Lemire's multiply-shift). */
    private static int range(long h, int n) {
        return (int) (((h >>> 32) * n) >>> 32);
    }

    private int edgeHome(int node, int word) {
        return edgeHome(((long) node << 32) | word, edgeSlots);
    }

    private static int edgeHome(long key, int slots) {
        return range(key * 0x9E3779B97F4A7C15L, slots);
    }

    /** Linear probing from {@code home} for the edge with this key; -1 if absent. */
    private int probeEdge(int home, long key) {
        long[] table = edges;
        for (int slot = home; ; ) {
            long k = table[2 * slot];
            if (k == key) {
                return slot;
            }
            if (k == EMPTY_EDGE) {
                return -1;
            }
            if (++slot == edgeSlots) {
                slot = 0;
            }
        }
    }

    private static int tableSlots(long count) {
        long slots = Math.max(8, (long) Math.ceil(count / LOAD) + 1);
        Checks.checkArgument(slots < (1 << 28), "too many items for one table: %s", count);
        return (int) slots;
    }

    /** Builds the arrays; kept apart so the matcher's fields can be final. */
    private static final class Builder {
        long[] words;
        int wordSlots;
        char[] pool = new char[1024];
        int poolSize;
        int numWords;
        long[] edges;
        int edgeSlots;
        int numEdges;
        long[] bloom;
        int[] nextSameEntry = new int[0];
        int numEntries;
        private char[] buf = new char[64];
        private final long[] key = new long[3];

        Builder(List<String> entries) {
            numEntries = entries.size();
            Checks.checkArgument(numEntries < (1 << (31 - INFO_SHIFT)) - 1,
                    "too many entries: %s", numEntries);
            // 1. Distinct tokens of the entries that can match, in a table that grows.
            boolean[] matchable = new boolean[numEntries];
            wordSlots = 1024;
            words = emptyWords(wordSlots);
            long tokens = 0;
            int matchableEntries = 0;
            for (int e = 0; e < numEntries; e++) {
                String entry = entries.get(e);
                if (entry == null) {
                    throw new IllegalArgumentException("entry " + e + " is null");
                }
                int len = load(entry);
                if (!canMatch(buf, len)) {
                    continue;
                }
                matchable[e] = true;
                matchableEntries++;
                for (int from = 0, i = 0; i <= len; i++) {
                    if (i == len || buf[i] == ' ') {
                        addWord(from, i - from);
                        tokens++;
                        from = i + 1;
                    }
                }
            }
            // 2. Final word table at its load factor: slot numbers are word ids from here on.
            rehashWords(tableSlots(numWords));
            pool = Arrays.copyOf(pool, poolSize);

            // 3. Trie edges. Every deeper node has one incoming edge, so there are at most
            //    tokens - matchableEntries edges: the table is sized once and never grows, which
            //    lets an edge's slot number the node it leads to.
            edgeSlots = tableSlots(Math.max(1, tokens - matchableEntries));
            Checks.checkArgument((long) wordSlots + edgeSlots < Integer.MAX_VALUE,
                    "too many entry tokens: %s", tokens);
            edges = new long[2 * edgeSlots];
            for (int s = 0; s < edgeSlots; s++) {
                edges[2 * s] = EMPTY_EDGE;
            }
            Map<Integer, Integer> lastDuplicate = new HashMap<>();
            for (int e = 0; e < numEntries; e++) {
                if (!matchable[e]) {
                    continue;
                }
                int len = load(entries.get(e));
                int node = -1;
                for (int from = 0, i = 0; i <= len; i++) {
                    if (i == len || buf[i] == ' ') {
                        int word = findWord(words, wordSlots, pool, buf, from, i - from, key);
                        node = node < 0 ? word : addEdge(node, word);
                        from = i + 1;
                    }
                }
                addEntry(node, e, lastDuplicate);
            }
            buildFilters();
        }

        /**
         * Gives every node with children its filter of next words: one bit per child in the
         * inline 32 bits for a node with at most INLINE_CHILDREN children, else a Bloom filter of
         * about BLOOM_BITS bits per child (a power of two, at least 64) in {@code bloom}.
         */
        private void buildFilters() {
            int[] children = new int[wordSlots + edgeSlots];
            for (int s = 0; s < edgeSlots; s++) {
                if (edges[2 * s] != EMPTY_EDGE) {
                    children[(int) (edges[2 * s] >>> 32)]++;
                }
            }
            long bloomLongs = 0;
            for (int c : children) {
                if (c > INLINE_CHILDREN) {
                    bloomLongs += bloomBits(c) / 64;
                }
            }
            Checks.checkArgument(bloomLongs < (1 << 25), "too many trie edges: %s", numEdges);
            bloom = new long[(int) bloomLongs];
            int at = 0;
            for (int node = 0; node < children.length; node++) {
                if (children[node] > INLINE_CHILDREN) {
                    int bits = bloomBits(children[node]);
                    setInfo(node, BIG_FILTER, at << 6 | Integer.numberOfTrailingZeros(bits));
                    at += bits / 64;
                }
            }
            for (int s = 0; s < edgeSlots; s++) {
                long key = edges[2 * s];
                if (key == EMPTY_EDGE) {
                    continue;
                }
                int node = (int) (key >>> 32);
                long g = (int) key * 0x9E3779B97F4A7C15L;
                if (children[node] <= INLINE_CHILDREN) {
                    setInfo(node, 0, 1 << (g >>> 59));
                } else {
                    int filter = filter(node);
                    long bit = g >>> -(filter & 63);
                    bloom[(filter >>> 6) + (int) (bit >>> 6)] |= 1L << bit;
                }
            }
        }

        private static int bloomBits(int children) {
            return Math.max(64, Integer.highestOneBit(BLOOM_BITS * children - 1) << 1);
        }

        private int filter(int node) {
            return node < wordSlots ? (int) words[4 * node + 3]
                    : (int) (edges[2 * (node - wordSlots) + 1] >>> 32);
        }

        /** Copies an entry into {@code buf}; returns its length. */
        private int load(String entry) {
            int len = entry.length();
            if (buf.length < len) {
                buf = new char[Math.max(len, 2 * buf.length)];
            }
            entry.getChars(0, len, buf, 0);
            return len;
        }

        /** False if a token holds a blanked char, or a wrapped char beside other chars. */
        private static boolean canMatch(char[] buf, int len) {
            for (int i = 0; i < len; i++) {
                char c = buf[i];
                if (c < 128 && c != ' ' && CHAR_CLASS[c] != 0) {
                    if (CHAR_CLASS[c] == 1) {
                        return false;
                    }
                    boolean alone = (i == 0 || buf[i - 1] == ' ')
                            && (i + 1 == len || buf[i + 1] == ' ');
                    if (!alone) {
                        return false;
                    }
                }
            }
            return true;
        }

        private static long[] emptyWords(int slots) {
            long[] table = new long[4 * slots];
            for (int s = 0; s < slots; s++) {
                table[4 * s + 2] = EMPTY_WORD & 0xFFFF_FFFFL;
            }
            return table;
        }

        private void addWord(int from, int len) {
            if (findWord(words, wordSlots, pool, buf, from, len, key) >= 0) {
                return;
            }
            if (numWords + 1 > wordSlots * LOAD) {
                rehashWords(2 * wordSlots);
            }
            int tag = key(buf, from, len, key);
            long p0 = key[0];
            long p1 = key[1];
            long h = key[2];
            long extra = 0;
            if (tag < 0) {
                if (poolSize + len > pool.length) {
                    long grown = Math.max(poolSize + (long) len, 2L * pool.length);
                    Checks.checkArgument(grown < Integer.MAX_VALUE, "entries too long: %s chars",
                            grown);
                    pool = Arrays.copyOf(pool, (int) grown);
                }
                System.arraycopy(buf, from, pool, poolSize, len);
                extra = (long) poolSize << 32;
                poolSize += len;
            }
            int slot = range(h, wordSlots);
            while ((int) words[4 * slot + 2] != EMPTY_WORD) {
                if (++slot == wordSlots) {
                    slot = 0;
                }
            }
            words[4 * slot] = p0;
            words[4 * slot + 1] = p1;
            words[4 * slot + 2] = tag & 0xFFFF_FFFFL;
            words[4 * slot + 3] = extra;
            numWords++;
        }

        /** Moves every word into a table of {@code slots} slots (no node info exists yet). */
        private void rehashWords(int slots) {
            long[] table = emptyWords(slots);
            for (int s = 0; s < wordSlots; s++) {
                int tag = (int) words[4 * s + 2];
                if (tag == EMPTY_WORD) {
                    continue;
                }
                long p0 = words[4 * s];
                long p1 = words[4 * s + 1];
                long h = tag >= 0 ? packedHash(p0, p1, tag) : p0;
                int slot = range(h, slots);
                while ((int) table[4 * slot + 2] != EMPTY_WORD) {
                    if (++slot == slots) {
                        slot = 0;
                    }
                }
                System.arraycopy(words, 4 * s, table, 4 * slot, 4);
            }
            words = table;
            wordSlots = slots;
        }

        /** Adds (or finds) the edge from {@code node} by {@code word}; returns the child node. */
        private int addEdge(int node, int word) {
            long key = ((long) node << 32) | word;
            int slot = range(key * 0x9E3779B97F4A7C15L, edgeSlots);
            while (edges[2 * slot] != key) {
                if (edges[2 * slot] == EMPTY_EDGE) {
                    edges[2 * slot] = key;
                    numEdges++;
                    setInfo(node, HAS_CHILDREN, 0);
                    break;
                }
                if (++slot == edgeSlots) {
                    slot = 0;
                }
            }
            return wordSlots + slot;
        }

        /** ORs bits into a node's info and filter. */
        private void setInfo(int node, int infoBits, int filterBits) {
            if (node < wordSlots) {
                words[4 * node + 2] |= (infoBits & 0xFFFF_FFFFL) << 32;
                words[4 * node + 3] |= filterBits & 0xFFFF_FFFFL;
            } else {
                int i = 2 * (node - wordSlots) + 1;
                edges[i] |= (infoBits & 0xFFFF_FFFFL) | (filterBits & 0xFFFF_FFFFL) << 32;
            }
        }

        private int info(int node) {
            return node < wordSlots ? (int) (words[4 * node + 2] >>> 32)
                    : (int) edges[2 * (node - wordSlots) + 1];
        }

        private void addEntry(int node, int e, Map<Integer, Integer> lastDuplicate) {
            int info = info(node);
            if (info >>> INFO_SHIFT == 0) {
                setInfo(node, (e + 1) << INFO_SHIFT, 0);
                return;
            }
            // a duplicate of an earlier entry: chain it behind the last one, keeping id order
            if (nextSameEntry.length == 0) {
                nextSameEntry = new int[numEntries];
                Arrays.fill(nextSameEntry, -1);
            }
            setInfo(node, DUP, 0);
            int last = lastDuplicate.getOrDefault(node, (info >>> INFO_SHIFT) - 1);
            nextSameEntry[last] = e;
            lastDuplicate.put(node, e);
        }
    }
}
