package dev.align.experiments.pool;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pool's composition, written as {@code pool.json}.
 *
 * @param seed the seed of every choice made building it
 * @param pairs pairs in the pool
 * @param concepts distinct concepts among them
 * @param pairsBySource pairs per source kind
 * @param pairsByDefect pairs per {@link Defect} label
 * @param headConcepts the head concepts, sorted
 * @param headPairs pairs showing a head concept, near-duplicates included
 * @param nearDuplicates added near-duplicate copies of head drawings
 * @param heldOutConcepts concepts held out of the pool for the clean set, per source kind
 * @param cleanPairs pairs of the clean set
 * @param cleanPairsBySource clean-set pairs per source kind
 */
public record PoolSummary(long seed, int pairs, int concepts, Map<String, Integer> pairsBySource,
        Map<String, Integer> pairsByDefect, List<String> headConcepts, int headPairs,
        int nearDuplicates, Map<String, Integer> heldOutConcepts, int cleanPairs,
        Map<String, Integer> cleanPairsBySource) {

    /** Copies the collections. */
    public PoolSummary {
        pairsBySource = sorted(pairsBySource);
        pairsByDefect = sorted(pairsByDefect);
        headConcepts = List.copyOf(headConcepts);
        heldOutConcepts = sorted(heldOutConcepts);
        cleanPairsBySource = sorted(cleanPairsBySource);
    }

    private static <V> Map<String, V> sorted(Map<String, V> m) {
        return Collections.unmodifiableMap(new TreeMap<>(m));
    }
}
