package dev.align.experiments.curation;

import dev.align.experiments.stats.ConceptBalance;
import dev.align.experiments.stats.RemovalMetrics;
import java.util.List;

/**
 * What an arm kept, written as {@code curation.json} (its completion marker).
 *
 * @param name the arm
 * @param kind its kind
 * @param steps the chain as run, placeholders resolved ({@code null} unless {@code CURATE})
 * @param pairsIn pool pairs
 * @param pairsKept pairs kept: the arm's training set
 * @param shards the training shards as a brace pattern
 * @param speeds per curation step, its throughput
 * @param removal what it removed against the injected defects
 * @param balance how flat its concept histogram is
 * @param seconds wall time of the curation
 */
public record ArmCuration(String name, ArmKind kind, String steps, long pairsIn, long pairsKept,
        String shards, List<StepSpeed> speeds, RemovalMetrics removal, ConceptBalance balance,
        double seconds) {

    /** Copies the list. */
    public ArmCuration {
        speeds = List.copyOf(speeds);
    }
}
