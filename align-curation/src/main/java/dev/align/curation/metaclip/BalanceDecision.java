package dev.align.curation.metaclip;

/**
 * Why a pair was kept or dropped by {@link MetaClipBalancer}: one line of the decisions file.
 *
 * @param pairId the pair's stable id (the coin depends on it, not on its position)
 * @param kept whether the pair stays in the curated set
 * @param keepProbability {@code 1 - prod_e (1 - p[e])} over the matched entries; 0 with no match
 * @param keptByEntry the smallest matched entry whose coin fell below its {@code p[e]}, or -1
 * @param reason the outcome
 */
public record BalanceDecision(long pairId, boolean kept, double keepProbability, int keptByEntry,
                              Reason reason) {

    /** Outcome of balancing one pair. */
    public enum Reason {
        /** At least one matched entry's coin fell below its probability. */
        KEPT("kept"),
        /** The caption matched no entry: MetaCLIP drops it. */
        NO_MATCH("no_match"),
        /** It matched entries, but every coin was at or above its entry's probability. */
        SAMPLED_OUT("sampled_out");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        /** @return the snake_case label written to decision files */
        public String label() {
            return label;
        }
    }

    /** Checks that the fields agree with each other. */
    public BalanceDecision {
        if (kept != (reason == Reason.KEPT) || kept != (keptByEntry >= 0)
                || !(keepProbability >= 0 && keepProbability <= 1)) {
            throw new IllegalArgumentException(String.format(
                    "inconsistent decision: kept=%s keptByEntry=%s keepProbability=%s reason=%s",
                    kept, keptByEntry, keepProbability, reason));
        }
    }
}
