package dev.align.spark;

import dev.align.curation.metaclip.BalanceDecision;
import dev.align.curation.metaclip.PairIds;

import java.io.Serializable;

/**
 * The MetaCLIP decision of one pair, as the Spark job computes it and writes it: the fields of a
 * {@link BalanceDecision} plus where the pair came from and what it matched.
 *
 * @param shard the shard of the pair, or {@code null} for a table row
 * @param key the pair's key
 * @param pairId {@link PairIds#of}{@code (key)}, the id its coins are drawn with
 * @param entries its matched entry ids, ascending and distinct
 * @param kept whether the pair stays
 * @param keepProbability {@code 1 - prod_e (1 - p[e])}, 0 with no match
 * @param keptByEntry the smallest entry whose coin kept it, or -1
 * @param reason {@link BalanceDecision.Reason#label()}
 */
public record MetaClipOutcome(String shard, String key, long pairId, int[] entries, boolean kept,
        double keepProbability, int keptByEntry, String reason) implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * @param shard the shard, or {@code null}
     * @param key the key
     * @param entries the matched entries
     * @param d the balancer's decision for {@code key}
     * @return the outcome
     */
    public static MetaClipOutcome of(String shard, String key, int[] entries, BalanceDecision d) {
        return new MetaClipOutcome(shard, key, d.pairId(), entries, d.kept(), d.keepProbability(),
                d.keptByEntry(), d.reason().label());
    }

    /** @return the decision as the local balancer's record */
    public BalanceDecision decision() {
        BalanceDecision.Reason r = null;
        for (BalanceDecision.Reason candidate : BalanceDecision.Reason.values()) {
            if (candidate.label().equals(reason)) {
                r = candidate;
            }
        }
        return new BalanceDecision(pairId, kept, keepProbability, keptByEntry, r);
    }
}
