package dev.align.data.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Learns byte-level BPE merges from a caption corpus, as the GPT-2/CLIP vocabularies were learned
 * (Sennrich et al. 2016, "Neural Machine Translation of Rare Words with Subword Units"): count the
 * words, start from single bytes (the last byte of a word carrying {@code </w>}), and repeatedly
 * merge the most frequent adjacent pair.
 *
 * <p>Cost: pair counts are kept incrementally with an index from each pair to the words that
 * contain it, and a priority queue with lazy deletion picks the best pair, so a merge only touches
 * the words that contain its pair, never the whole corpus. Ties in count are broken by the pair's
 * strings in lexicographic order (left symbol, then right), so the same corpus always gives the
 * same merges, whatever the order of the captions.
 */
final class BpeTrainer {

    static final String END_OF_WORD = "</w>";

    /** The learned vocabulary (ids 0..n-1, no special tokens) and merges in rank order. */
    record Result(List<String> vocab, List<String[]> merges) {}

    private BpeTrainer() {}

    static Result train(Iterable<String> captions, int symbolBudget, Pattern pretokenizer,
            List<String> specials) {
        // 1. Count words (byte-level strings) over the cleaned corpus; sorted for determinism.
        Map<String, int[]> counts = new HashMap<>();
        for (String caption : captions) {
            if (caption == null) {
                throw new NullPointerException("the corpus contains a null caption");
            }
            for (String piece : ClipText.pieces(pretokenizer, ClipText.clean(caption))) {
                if (!specials.contains(piece)) {
                    counts.computeIfAbsent(piece, k -> new int[1])[0]++;
                }
            }
        }
        TreeMap<String, int[]> sorted = new TreeMap<>(counts);

        List<String> tok = new ArrayList<>();
        Map<String, Integer> idOf = new HashMap<>();
        for (int i = 0; i < 256; i++) {
            tok.add(String.valueOf(ByteLevel.CHAR_OF_BYTE[ByteLevel.BYTE_AT_ID[i]]));
        }
        for (int i = 0; i < 256; i++) {
            tok.add(tok.get(i) + END_OF_WORD);
        }
        for (int i = 0; i < tok.size(); i++) {
            idOf.put(tok.get(i), i);
        }

        int nWords = sorted.size();
        int[][] sym = new int[nWords][];
        int[] freq = new int[nWords];
        int w = 0;
        for (Map.Entry<String, int[]> e : sorted.entrySet()) {
            byte[] bytes = e.getKey().getBytes(StandardCharsets.UTF_8);
            int[] s = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                s[i] = ByteLevel.ID_OF_BYTE[bytes[i] & 0xFF];
            }
            s[s.length - 1] += 256; // the </w> variant of the last byte
            sym[w] = s;
            freq[w] = e.getValue()[0];
            w++;
        }

        // 2. Initial pair counts and the pair -> words index.
        PairMap pairCount = new PairMap(1 << 16);
        Map<Long, IntList> where = new HashMap<>();
        for (w = 0; w < nWords; w++) {
            int[] s = sym[w];
            for (int i = 0; i + 1 < s.length; i++) {
                long p = PairMap.pair(s[i], s[i + 1]);
                pairCount.add(p, freq[w]);
                where.computeIfAbsent(p, k -> new IntList()).addUnlessLast(w);
            }
        }
        PriorityQueue<Candidate> queue = new PriorityQueue<>((x, y) -> {
            if (x.count != y.count) {
                return Integer.compare(y.count, x.count);
            }
            int c = tok.get(PairMap.left(x.pair)).compareTo(tok.get(PairMap.left(y.pair)));
            return c != 0 ? c : tok.get(PairMap.right(x.pair)).compareTo(tok.get(PairMap.right(y.pair)));
        });
        for (long p : pairCount.keys()) {
            queue.add(new Candidate(p, pairCount.get(p, 0)));
        }

        // 3. Merge until the symbol budget is used or no pair is left.
        List<String[]> merges = new ArrayList<>();
        java.util.Set<Long> merged = new java.util.HashSet<>();
        int[] stamp = new int[nWords];
        Arrays.fill(stamp, -1);
        Map<Long, Integer> delta = new HashMap<>();
        while (tok.size() < symbolBudget && !queue.isEmpty()) {
            Candidate top = queue.poll();
            int current = pairCount.get(top.pair, 0);
            if (current != top.count || current <= 0 || merged.contains(top.pair)) {
                continue; // stale entry: the pair's count changed after it was queued
            }
            int a = PairMap.left(top.pair);
            int b = PairMap.right(top.pair);
            String joined = tok.get(a) + tok.get(b);
            // Two merge paths can spell the same string ("ab"+"c", "a"+"bc"); they share one id,
            // as in HuggingFace's trainer and its BPE model (merge result = vocab[a + b]).
            Integer existing = idOf.get(joined);
            int c;
            if (existing != null) {
                c = existing;
            } else {
                c = tok.size();
                tok.add(joined);
                idOf.put(joined, c);
            }
            merges.add(new String[] {tok.get(a), tok.get(b)});
            merged.add(top.pair);
            int mergeIndex = merges.size() - 1;
            delta.clear();
            IntList words = where.remove(top.pair);
            for (int k = 0; k < words.size; k++) {
                int wi = words.data[k];
                if (stamp[wi] == mergeIndex) {
                    continue;
                }
                stamp[wi] = mergeIndex;
                int[] old = sym[wi];
                int[] updated = mergeWord(old, a, b, c);
                if (updated == old) {
                    continue; // the index is a superset: this word lost the pair to an earlier merge
                }
                int f = freq[wi];
                for (int i = 0; i + 1 < old.length; i++) {
                    long p = PairMap.pair(old[i], old[i + 1]);
                    pairCount.add(p, -f);
                    delta.merge(p, -f, Integer::sum);
                }
                for (int i = 0; i + 1 < updated.length; i++) {
                    long p = PairMap.pair(updated[i], updated[i + 1]);
                    pairCount.add(p, f);
                    delta.merge(p, f, Integer::sum);
                    if (updated[i] == c || updated[i + 1] == c) {
                        where.computeIfAbsent(p, key -> new IntList()).addUnlessLast(wi);
                    }
                }
                sym[wi] = updated;
            }
            pairCount.put(top.pair, 0);
            for (Map.Entry<Long, Integer> e : delta.entrySet()) {
                long p = e.getKey();
                int now = pairCount.get(p, 0);
                if (e.getValue() != 0 && now > 0 && !merged.contains(p)) {
                    queue.add(new Candidate(p, now));
                }
            }
        }
        return new Result(List.copyOf(tok), List.copyOf(merges));
    }

    /** Merges every occurrence of {@code (a, b)} left to right; returns {@code s} if none. */
    private static int[] mergeWord(int[] s, int a, int b, int c) {
        int[] out = null;
        int n = 0;
        for (int i = 0; i < s.length; i++) {
            if (i + 1 < s.length && s[i] == a && s[i + 1] == b) {
                if (out == null) {
                    out = new int[s.length - 1];
                    System.arraycopy(s, 0, out, 0, i);
                    n = i;
                }
                out[n++] = c;
                i++;
            } else if (out != null) {
                out[n++] = s[i];
            }
        }
        return out == null ? s : Arrays.copyOf(out, n);
    }

    private record Candidate(long pair, int count) {}

    /** A growable int array; {@link #addUnlessLast} keeps consecutive duplicates out cheaply. */
    private static final class IntList {
        int[] data = new int[4];
        int size;

        void addUnlessLast(int v) {
            if (size > 0 && data[size - 1] == v) {
                return;
            }
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }
    }
}
