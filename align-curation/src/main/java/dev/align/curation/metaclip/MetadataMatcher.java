package dev.align.curation.metaclip;

import dev.align.curation.internal.ParallelBlocks;

import dev.align.core.Checks;

import java.util.ArrayList;
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
 * its spaces. The matcher is therefore a trie over word ids: every distinct entry token gets an id
 * (an open-addressing hash table over one shared {@code char[]} pool), a caption is tokenised on the
 * fly without building the spaced string, and from each token a walk follows the trie for at most
 * the longest entry's token count, reporting the entries that end at each node. This is linear in
 * the caption length (times that small constant) and needs no failure links. Tokens that contain
 * characters MetaCLIP wraps or blanks never equal a caption token, so such entries never match, as
 * in MetaCLIP.
 *
 * <p>Instances are immutable and safe to share between threads. Entry ids are the 0-based indices
 * in the list given to {@link #build}; duplicate entries are all reported.
 */
public final class MetadataMatcher {

    private static final int[] NO_MATCH = new int[0];
    private static final String WRAPPED = ",.;:?!`";
    /** Per ASCII char: 0 = ordinary, 1 = becomes a space, 2 = wrapped in spaces. */
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

    // ---- word dictionary: token string -> word id ----
    private final char[] wordChars;        // all distinct tokens, concatenated
    // Open addressing, 4 ints per slot so one probe touches one cache line:
    // [hash, word id (-1 = empty slot), start in wordChars, length]; power-of-two slot count.
    private final int[] wordTable;
    private final int wordMask;
    private final int numWords;
    private final int[] punctWord;         // [128] word id of the single-char token c, or -1
    private final int emptyWord;           // word id of "", or -1

    // ---- trie over word ids. Node w + 1 is the root's child for word w (so no root lookup);
    // a deeper node is numbered numWords + 1 + (slot of its incoming edge in `edges`). ----
    private final long[] edges;            // open addressing, key parent << 32 | word; -1 = empty
    private final int edgeMask;
    private final int[] nodeInfo;          // (first entry ending here + 1) << 1 | has-children bit
    private final int[] nextSameEntry;     // [E] next entry with the same token sequence, or -1
    private final int numEntries;
    private final int numNodes;

    private MetadataMatcher(Builder b) {
        wordChars = b.wordChars;
        wordTable = b.wordTable;
        wordMask = wordTable.length / 4 - 1;
        numWords = b.numWords;
        punctWord = b.punctWord;
        emptyWord = b.emptyWord;
        edges = b.edges;
        edgeMask = edges.length - 1;
        nodeInfo = b.nodeInfo;
        nextSameEntry = b.nextSameEntry;
        numEntries = b.numEntries;
        numNodes = b.numNodes;
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

    /** @return the number of distinct tokens over all entries */
    public int numWords() {
        return numWords;
    }

    /** @return the number of trie nodes, root included */
    public int numNodes() {
        return numNodes;
    }

    /** @return the bytes held by the matcher's arrays (array headers included): its footprint */
    public long sizeInBytes() {
        return bytes(wordChars.length, 2) + bytes(wordTable.length, 4) + bytes(punctWord.length, 4)
                + bytes(edges.length, 8) + bytes(nodeInfo.length, 4) + bytes(nextSameEntry.length, 4);
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

    /** Per-thread buffers, grown on demand. */
    private static final class Scratch {
        int[] tokens = new int[64];
        int[] hits = new int[64];
    }

    private int[] match(String caption, Scratch s) {
        int n = caption.length();
        // A caption of n chars has at most 2n + 1 tokens (each wrapped char adds one).
        if (s.tokens.length < 2 * n + 1) {
            s.tokens = new int[2 * n + 1];
        }
        int[] tok = s.tokens;
        int nt = 0;
        int start = 0;
        int h = 0;
        for (int i = 0; i < n; i++) {
            char c = caption.charAt(i);
            int cls = c < 128 ? CHAR_CLASS[c] : 0;
            if (cls == 0) {
                h = 31 * h + c;
            } else {
                // the space (or the space before a wrapped char) closes the current token
                tok[nt++] = lookup(caption, start, i, h);
                if (cls == 2) {
                    tok[nt++] = punctWord[c];
                }
                start = i + 1;
                h = 0;
            }
        }
        tok[nt++] = lookup(caption, start, n, h); // closed by the right padding space

        int[] hits = s.hits;
        int nh = 0;
        for (int i = 0; i < nt; i++) {
            int w = tok[i];
            if (w < 0) {
                continue;
            }
            int node = w + 1;
            for (int j = i + 1; ; j++) {
                int info = nodeInfo[node];
                for (int e = (info >>> 1) - 1; e >= 0; e = nextSameEntry[e]) {
                    if (nh == hits.length) {
                        hits = s.hits = Arrays.copyOf(hits, 2 * nh);
                    }
                    hits[nh++] = e;
                }
                if ((info & 1) == 0 || j == nt) {
                    break;
                }
                int w2 = tok[j];
                if (w2 < 0) {
                    break;
                }
                node = child(node, w2);
                if (node < 0) {
                    break;
                }
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

    private int lookup(String s, int from, int to, int h) {
        int len = to - from;
        if (len == 0) {
            return emptyWord;
        }
        int[] table = wordTable;
        for (int slot = mix(h) & wordMask; ; slot = (slot + 1) & wordMask) {
            int base = 4 * slot;
            int w = table[base + 1];
            if (w < 0) {
                return -1;
            }
            if (table[base] == h && table[base + 3] == len && sameChars(s, from, table[base + 2], len)) {
                return w;
            }
        }
    }

    private boolean sameChars(String s, int from, int ws, int len) {
        char[] pool = wordChars;
        for (int k = 0; k < len; k++) {
            if (s.charAt(from + k) != pool[ws + k]) {
                return false;
            }
        }
        return true;
    }

    private int child(int node, int word) {
        long key = ((long) node << 32) | word;
        long[] table = edges;
        for (int slot = mixLong(key) & edgeMask; ; slot = (slot + 1) & edgeMask) {
            long k = table[slot];
            if (k == key) {
                return numWords + 1 + slot;
            }
            if (k == EMPTY_EDGE) {
                return -1;
            }
        }
    }

    private static final long EMPTY_EDGE = -1L;

    private static int mix(int h) {
        return (h * 0x9E3779B9) ^ (h >>> 16);
    }

    private static int mixLong(long k) {
        k *= 0x9E3779B97F4A7C15L;
        return (int) (k >>> 32) ^ (int) k;
    }

    private static int polyHash(String s) {
        int h = 0;
        for (int i = 0; i < s.length(); i++) {
            h = 31 * h + s.charAt(i);
        }
        return h;
    }

    private static int tableSize(long count) {
        // load factor at most 3/4
        long min = Math.max(4, (4 * count + 2) / 3);
        int size = (int) Math.min(Integer.MAX_VALUE, Long.highestOneBit(min - 1) << 1);
        Checks.checkArgument(size > 0, "too many items for one table: %s", count);
        return size;
    }

    /** Builds the arrays; kept apart so the matcher's fields can be final. */
    private static final class Builder {
        char[] wordChars;
        int[] wordTable;
        int numWords;
        int[] punctWord = new int[128];
        int emptyWord;
        long[] edges;
        int[] nodeInfo;
        int[] nextSameEntry;
        int numEntries;
        int numNodes;

        Builder(List<String> entries) {
            numEntries = entries.size();
            Checks.checkArgument(numEntries < (1 << 30), "too many entries: %s", numEntries);
            // 1. Tokenise entries; intern tokens as word ids.
            Map<String, Integer> ids = new HashMap<>();
            List<String> words = new ArrayList<>();
            int[][] seqs = new int[numEntries][];
            long totalTokens = 0;
            for (int e = 0; e < numEntries; e++) {
                String entry = entries.get(e);
                Checks.checkArgument(entry != null, "entry %s is null", e);
                int parts = 1;
                for (int i = 0; i < entry.length(); i++) {
                    if (entry.charAt(i) == ' ') {
                        parts++;
                    }
                }
                int[] seq = new int[parts];
                int p = 0;
                int from = 0;
                for (int i = 0; i <= entry.length(); i++) {
                    if (i == entry.length() || entry.charAt(i) == ' ') {
                        String tok = entry.substring(from, i);
                        Integer id = ids.get(tok);
                        if (id == null) {
                            id = words.size();
                            ids.put(tok, id);
                            words.add(tok);
                        }
                        seq[p++] = id;
                        from = i + 1;
                    }
                }
                seqs[e] = seq;
                totalTokens += parts;
            }
            numWords = words.size();

            // Renumber words by descending frequency over the entries (ties by first appearance):
            // frequent words are the frequent caption tokens, so their characters, their trie
            // nodes and their nodes' info then share a few cache lines.
            int[] freq = new int[numWords];
            for (int[] seq : seqs) {
                for (int w : seq) {
                    freq[w]++;
                }
            }
            Integer[] order = new Integer[numWords];
            Arrays.setAll(order, i -> i);
            Arrays.sort(order, (a, b) -> freq[a] != freq[b] ? Integer.compare(freq[b], freq[a])
                    : Integer.compare(a, b));
            int[] renumber = new int[numWords];
            List<String> byFrequency = new ArrayList<>(numWords);
            for (int i = 0; i < numWords; i++) {
                renumber[order[i]] = i;
                byFrequency.add(words.get(order[i]));
            }
            words = byFrequency;
            for (int[] seq : seqs) {
                for (int k = 0; k < seq.length; k++) {
                    seq[k] = renumber[seq[k]];
                }
            }
            ids.replaceAll((tok, id) -> renumber[id]);

            // 2. Word table.
            long chars = 0;
            for (String w : words) {
                chars += w.length();
            }
            Checks.checkArgument(chars < Integer.MAX_VALUE, "entries too long: %s chars", chars);
            wordChars = new char[(int) chars];
            int slots = tableSize(numWords);
            Checks.checkArgument(slots < (1 << 29), "too many distinct tokens: %s", numWords);
            wordTable = new int[4 * slots];
            for (int slot = 0; slot < slots; slot++) {
                wordTable[4 * slot + 1] = -1;
            }
            int mask = slots - 1;
            int pos = 0;
            for (int w = 0; w < numWords; w++) {
                String s = words.get(w);
                s.getChars(0, s.length(), wordChars, pos);
                int h = polyHash(s);
                int slot = mix(h) & mask;
                while (wordTable[4 * slot + 1] >= 0) {
                    slot = (slot + 1) & mask;
                }
                wordTable[4 * slot] = h;
                wordTable[4 * slot + 1] = w;
                wordTable[4 * slot + 2] = pos;
                wordTable[4 * slot + 3] = s.length();
                pos += s.length();
            }
            Arrays.fill(punctWord, -1);
            for (int i = 0; i < WRAPPED.length(); i++) {
                Integer id = ids.get(String.valueOf(WRAPPED.charAt(i)));
                punctWord[WRAPPED.charAt(i)] = id == null ? -1 : id;
            }
            Integer empty = ids.get("");
            emptyWord = empty == null ? -1 : empty;

            // 3. Trie. Every deeper node has one incoming edge, so there are at most
            //    totalTokens - numEntries edges: the table is sized once and never grows, which
            //    lets an edge's slot number the node it leads to.
            edges = new long[tableSize(Math.max(1, totalTokens - numEntries))];
            Arrays.fill(edges, EMPTY_EDGE);
            int edgeMask = edges.length - 1;
            long infoSize = (long) numWords + 1 + edges.length;
            Checks.checkArgument(infoSize < Integer.MAX_VALUE, "too many entry tokens: %s",
                    totalTokens);
            nodeInfo = new int[(int) infoSize];
            nextSameEntry = new int[numEntries];
            Arrays.fill(nextSameEntry, -1);
            int[] lastEntry = new int[nodeInfo.length];
            int deepNodes = 0;
            for (int e = 0; e < numEntries; e++) {
                int[] seq = seqs[e];
                int node = seq[0] + 1;
                for (int k = 1; k < seq.length; k++) {
                    long key = ((long) node << 32) | seq[k];
                    int slot = mixLong(key) & edgeMask;
                    while (edges[slot] != EMPTY_EDGE && edges[slot] != key) {
                        slot = (slot + 1) & edgeMask;
                    }
                    if (edges[slot] == EMPTY_EDGE) {
                        edges[slot] = key;
                        nodeInfo[node] |= 1;
                        deepNodes++;
                    }
                    node = numWords + 1 + slot;
                }
                if (nodeInfo[node] >>> 1 == 0) {
                    nodeInfo[node] |= (e + 1) << 1;
                } else {
                    nextSameEntry[lastEntry[node]] = e; // keep duplicates in id order
                }
                lastEntry[node] = e;
                seqs[e] = null;
            }
            numNodes = 1 + numWords + deepNodes;
        }
    }
}
