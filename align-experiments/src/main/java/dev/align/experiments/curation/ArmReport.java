package dev.align.experiments.curation;

import java.util.List;
import java.util.Map;

/**
 * Everything about one arm.
 *
 * @param name the arm
 * @param kind its kind
 * @param curation what it kept
 * @param runs its seeds
 * @param metrics per metric ({@link CurationExperiment#METRICS}), over seeds
 */
public record ArmReport(String name, ArmKind kind, ArmCuration curation, List<SeedRun> runs,
        Map<String, MetricStats> metrics) {

    /** Copies the collections. */
    public ArmReport {
        runs = List.copyOf(runs);
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    }
}
