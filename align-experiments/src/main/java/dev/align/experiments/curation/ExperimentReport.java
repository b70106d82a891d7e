package dev.align.experiments.curation;

import dev.align.data.imports.ImportSummary;
import dev.align.experiments.eval.EvalSetSummary;
import dev.align.experiments.pool.PoolSummary;
import dev.align.models.io.Provenance;
import java.util.List;
import java.util.Map;

/**
 * The experiment's result, written as {@code report.json}: every number, the config and where it
 * ran.
 *
 * @param schemaVersion {@value CurationExperiment#REPORT_SCHEMA_VERSION}
 * @param experiment {@code curation}
 * @param config the config, every default filled in
 * @param provenance software and machine
 * @param plan the compute plan
 * @param imports per source kind, the import's summary (samples, skips, seconds)
 * @param pool the pool's composition
 * @param leftOut source samples left out of the pool and clean set, by reason
 * @param evalSet the evaluation set
 * @param filter the filter network's run ({@code null} when no arm uses it)
 * @param metadataEntries entries of the metadata built from the pool (0 when no arm uses it)
 * @param arms per arm
 * @param checks the self-checks
 * @param seconds wall time of this invocation
 */
public record ExperimentReport(int schemaVersion, String experiment,
        CurationExperimentConfig config, Provenance provenance, Plan plan,
        Map<String, ImportSummary> imports, PoolSummary pool, Map<String, Long> leftOut,
        EvalSetSummary evalSet, RunResult filter, int metadataEntries, List<ArmReport> arms,
        List<Check> checks, double seconds) {}
