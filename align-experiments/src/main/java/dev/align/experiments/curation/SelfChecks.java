package dev.align.experiments.curation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align.core.json.Json;
import dev.align.curation.pipeline.CurationPipeline;
import dev.align.experiments.eval.EvalSetSummary;
import dev.align.experiments.pool.ManifestEntry;
import dev.align.experiments.pool.PoolSummary;
import dev.align.experiments.stats.RemovalMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The self-checks of a finished experiment, written into the report ({@code --check} fails the
 * command when one fails; CI runs {@code --quick --check}): every arm trained every seed for the
 * recipe's steps; equal compute (every run saw the same number of samples and its data source
 * took exactly that many from the stream); the removal figures agree with the manifest (every
 * arm's decisions cover exactly the pool's keys, its kept count matches its decisions and its
 * curated shards, the injected counts per defect match the pool's, the oracle removes exactly the
 * defects); and the oracle arm's zero-shot top-5 accuracy beats chance.
 */
final class SelfChecks {

    private SelfChecks() {}

    /**
     * The checks of a finished experiment.
     *
     * @param out the experiment folder (for the arms' decisions and curated shards)
     */
    static List<Check> of(CurationExperimentConfig config, List<ManifestEntry> manifest,
            PoolSummary pool, EvalSetSummary evalSet, List<ArmReport> arms, Path out)
            throws IOException {
        List<Check> checks = new ArrayList<>();
        long steps = config.recipe().steps();
        List<String> missing = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        Set<Long> positions = new HashSet<>();
        for (ArmReport a : arms) {
            for (long seed : config.trainSeeds()) {
                SeedRun r = a.runs().stream().filter(x -> x.seed() == seed).findFirst()
                        .orElse(null);
                if (r == null || r.train().steps() != steps) {
                    missing.add(a.name() + "/" + seed);
                } else {
                    seen.add(r.train().samplesSeen());
                    positions.add(r.train().streamPosition());
                }
            }
        }
        checks.add(new Check("every arm trained every seed", missing.isEmpty(),
                missing.isEmpty() ? arms.size() + " arms x " + config.trainSeeds().size()
                        + " seeds, " + steps + " steps each" : "missing or short: " + missing));
        checks.add(new Check("equal compute", seen.size() == 1 && positions.equals(seen),
                "samples seen per run " + seen + ", samples taken from the stream " + positions));

        List<String> disagreements = new ArrayList<>();
        Set<String> poolKeys = new HashSet<>();
        manifest.forEach(e -> poolKeys.add(e.key()));
        for (ArmReport a : arms) {
            ArmConfig arm = config.arms().stream().filter(x -> x.name().equals(a.name()))
                    .findFirst().orElseThrow();
            RemovalMetrics m = a.curation().removal();
            if (m.pairs() != pool.pairs()) {
                disagreements.add(a.name() + ": judged " + m.pairs() + " pairs of "
                        + pool.pairs());
            }
            for (RemovalMetrics.DefectRemoval d : m.byDefect()) {
                int injected = pool.pairsByDefect().getOrDefault(d.defect(), 0);
                if (d.injected() != injected) {
                    disagreements.add(a.name() + ": " + d.defect() + " " + d.injected()
                            + " vs manifest " + injected);
                }
            }
            if (arm.kind() != ArmKind.RAW) {
                Set<String> decided = new HashSet<>();
                long keptDecisions = 0;
                for (JsonNode d : CurationExperiment.decisions(out, arm.name())) {
                    decided.add(d.path("key").asText());
                    keptDecisions += d.path("kept").asBoolean(false) ? 1 : 0;
                }
                if (!decided.equals(poolKeys)) {
                    disagreements.add(a.name() + ": decisions cover " + decided.size()
                            + " keys, the manifest " + poolKeys.size());
                }
                long inShards = shardSamples(out.resolve("arms").resolve(a.name())
                        .resolve("curation").resolve(CurationPipeline.SHARDS));
                if (keptDecisions != m.kept() || inShards != m.kept()) {
                    disagreements.add(a.name() + ": kept " + m.kept() + ", decisions "
                            + keptDecisions + ", curated shards " + inShards);
                }
            }
            if (arm.kind() == ArmKind.ORACLE && (m.defectsRemoved() != m.defects()
                    || (!arm.dropNearDuplicates() && m.cleanRemoved() != 0))) {
                disagreements.add(a.name() + ": the oracle removed " + m.removed() + " pairs, "
                        + m.defectsRemoved() + " of " + m.defects() + " defects");
            }
        }
        checks.add(new Check("removal figures agree with the manifest", disagreements.isEmpty(),
                disagreements.isEmpty() ? arms.size() + " arms, " + pool.pairs()
                        + " pairs, defects " + pool.pairsByDefect()
                        : String.join("; ", disagreements)));

        // Top-5 is the verdict: with one drawing per class, top-1 over a few dozen classes moves
        // in steps of several points per image, top-5 is graded enough to tell learning from luck.
        arms.stream().filter(a -> a.kind() == ArmKind.ORACLE).forEach(a -> {
            MetricStats top1 = a.metrics().get("zeroShotTop1");
            MetricStats top5 = a.metrics().get("zeroShotTop5");
            boolean above = top5 != null && top5.summary().mean() > evalSet.chanceTop5();
            checks.add(new Check("oracle zero-shot above chance", above, String.format(
                    Locale.ROOT, "%s top-5 %.1f%% vs chance %.1f%%, top-1 %.1f%% vs chance "
                            + "%.1f%% (mean of %d seeds, %d classes)", a.name(),
                    top5 == null ? Double.NaN : 100 * top5.summary().mean(),
                    100 * evalSet.chanceTop5(), top1 == null ? Double.NaN
                            : 100 * top1.summary().mean(), 100 * evalSet.chanceTop1(),
                    config.trainSeeds().size(), evalSet.classes().size())));
        });
        return checks;
    }

    private static long shardSamples(Path shardDir) throws IOException {
        Path sizes = shardDir.resolve("sizes.json");
        if (!Files.isRegularFile(sizes)) {
            return 0;
        }
        long n = 0;
        for (JsonNode v : Json.mapper().readTree(sizes.toFile())) {
            n += v.asLong();
        }
        return n;
    }

}
