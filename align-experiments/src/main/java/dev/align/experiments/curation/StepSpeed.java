package dev.align.experiments.curation;

/**
 * The throughput of one curation step on the pool.
 *
 * @param step {@code align-rules}, {@code metaclip} or {@code dfn}
 * @param pairsIn pairs that reached it
 * @param pairsOut pairs it kept
 * @param seconds its wall time
 * @param pairsPerSecond {@code pairsIn / seconds}, {@code null} for a zero time
 */
public record StepSpeed(String step, long pairsIn, long pairsOut, double seconds,
        Double pairsPerSecond) {}
