package dev.align.experiments.curation;

/** How an arm chooses its training pairs from the pool. */
public enum ArmKind {
    /** Every pair of the pool: the baseline every difference is measured against. */
    RAW,
    /** A chain of {@code curate} steps run by the curation pipeline. */
    CURATE,
    /** The pool minus the injected defects, known from the manifest: the upper bound. */
    ORACLE
}
