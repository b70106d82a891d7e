package dev.align.experiments.report;

import dev.align.core.io.AtomicFiles;
import dev.align.core.json.Json;
import dev.align.experiments.curation.ArmKind;
import dev.align.experiments.curation.ArmReport;
import dev.align.experiments.curation.Check;
import dev.align.experiments.curation.ExperimentReport;
import dev.align.experiments.curation.MetricStats;
import dev.align.experiments.curation.Recipe;
import dev.align.experiments.curation.SeedRun;
import dev.align.experiments.curation.StepSpeed;
import dev.align.experiments.eval.EvalSetSummary;
import dev.align.experiments.pool.PoolSummary;
import dev.align.experiments.stats.RemovalMetrics;
import dev.align.experiments.stats.SeedStatistics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes an experiment's report folder: {@value #REPORT_JSON} (every number), {@value #REPORT_MD}
 * (the tables) and the plots under {@code plots/} (see {@link ReportPlots}).
 */
public final class ReportFiles {

    /** The JSON report. */
    public static final String REPORT_JSON = "report.json";
    /** The Markdown report. */
    public static final String REPORT_MD = "report.md";

    private static final String[][] HEADLINE = {
        {"zeroShotTop1", "zero-shot top-1"}, {"zeroShotTop5", "top-5"},
        {"headTop1", "head top-1"}, {"tailTop1", "tail top-1"},
        {"imageToTextR1", "R@1 image→text"}, {"textToImageR1", "R@1 text→image"}};

    private ReportFiles() {}

    /**
     * Writes the report folder's files.
     *
     * @param histograms per arm, its kept pairs per concept, largest first
     */
    public static void write(ExperimentReport report, Map<String, int[]> histograms, Path out)
            throws IOException {
        Path plots = out.resolve("plots");
        Files.createDirectories(plots);
        ReportPlots.zeroShot(report, plots.resolve("zero-shot.png"));
        ReportPlots.headTail(report, plots.resolve("head-tail.png"));
        ReportPlots.removal(report, plots.resolve("removal.png"));
        ReportPlots.concepts(histograms, plots.resolve("concepts.png"));
        AtomicFiles.write(out.resolve(REPORT_MD), markdown(report)
                .getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(out.resolve(REPORT_JSON), Json.write(report)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The Markdown report. */
    public static String markdown(ExperimentReport r) {
        StringBuilder md = new StringBuilder();
        PoolSummary pool = r.pool();
        EvalSetSummary eval = r.evalSet();
        Recipe recipe = r.config().recipe();
        int seeds = r.config().trainSeeds().size();
        md.append("# Curation experiment\n\n");
        md.append(String.format(Locale.ROOT, "- **Pool**: %,d pairs of %,d concepts, by source %s; "
                + "injected defects %s; %d head concepts (%.0f%% of concepts) make %,d pairs "
                + "(%.0f%% of the pool, %,d of them near-duplicates). Clean set for DFN's filter: "
                + "%,d pairs %s, disjoint from the pool.\n", pool.pairs(), pool.concepts(),
                pool.pairsBySource(), pool.pairsByDefect(), pool.headConcepts().size(),
                100 * r.config().noise().headConcepts(), pool.headPairs(),
                100.0 * pool.headPairs() / pool.pairs(), pool.nearDuplicates(), pool.cleanPairs(),
                pool.cleanPairsBySource()));
        md.append(String.format(Locale.ROOT, "- **Evaluation**: OpenMoji drawings (a style the "
                + "pool does not have), %d classes (%d head, %d tail), chance top-1 %.1f%% and "
                + "top-5 %.1f%%; retrieval over %d drawing-caption pairs; %d prompt templates.\n",
                eval.classes().size(), eval.headClasses(), eval.tailClasses(),
                100 * eval.chanceTop1(), 100 * eval.chanceTop5(), eval.retrievalPairs(),
                eval.templates().size()));
        md.append(String.format(Locale.ROOT, "- **Recipe** (every arm, equal compute): %s at %d px, "
                + "%d steps x %d = %,d samples per run, peak lr %s, warmup %d steps then cosine, "
                + "weight decay %s; seeds %s.\n\n", describeModel(recipe), recipe.imageSize(),
                recipe.steps(), recipe.globalBatch(), recipe.steps() * recipe.globalBatch(),
                recipe.peakLr(), recipe.warmupSteps(recipe.steps()), recipe.weightDecay(),
                r.config().trainSeeds()));

        md.append("## Arms\n\n| arm | kind | steps |\n|---|---|---|\n");
        for (ArmReport a : r.arms()) {
            md.append("| ").append(a.name()).append(" | ").append(a.kind()).append(" | ")
                    .append(a.curation().steps() == null ? (a.kind() == ArmKind.ORACLE
                            ? "the pool minus the injected defects (manifest)" : "none")
                            : "`" + a.curation().steps() + "`").append(" |\n");
        }

        md.append(String.format(Locale.ROOT, "%n## Results (mean ± sd over %d seed%s; "
                + "accuracies in %%)%n%n", seeds, seeds == 1 ? "" : "s"));
        md.append("| arm | kept | removal precision | removal recall | top-2% share | entropy |");
        for (String[] h : HEADLINE) {
            md.append(' ').append(h[1]).append(" |");
        }
        md.append(" Δ top-1 vs raw (95% CI) |\n|---|---:|---:|---:|---:|---:|");
        md.append("---:|".repeat(HEADLINE.length)).append("---|\n");
        for (ArmReport a : r.arms()) {
            RemovalMetrics m = a.curation().removal();
            md.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s |", a.name(),
                    m.kept(), pct(m.precision()), pct(m.recall()),
                    pct(a.curation().balance().topShare()),
                    num(a.curation().balance().normalisedEntropy())));
            for (String[] h : HEADLINE) {
                md.append(' ').append(meanSd(a.metrics().get(h[0]))).append(" |");
            }
            md.append(' ').append(diff(a.metrics().get("zeroShotTop1"))).append(" |\n");
        }

        md.append("\n## Differences larger than the noise\n\n");
        List<String> significant = new ArrayList<>();
        for (ArmReport a : r.arms()) {
            for (Map.Entry<String, MetricStats> e : a.metrics().entrySet()) {
                SeedStatistics.PairedDifference d = e.getValue().vsRaw();
                if (d != null && d.significant()) {
                    significant.add(String.format(Locale.ROOT, "- %s, %s: %+.1f points [%+.1f, "
                            + "%+.1f]", a.name(), e.getKey(), points(d.mean()), points(d.low()),
                            points(d.high())));
                }
            }
        }
        if (seeds < 2) {
            md.append("One seed: no interval can be computed, so no difference can be told from "
                    + "the noise.\n");
        } else if (significant.isEmpty()) {
            md.append("None: every 95% paired t interval of an arm's difference to raw contains "
                    + "0.\n");
        } else {
            md.append("Differences to raw whose 95% paired t interval (over seeds) excludes 0:\n\n");
            significant.forEach(s -> md.append(s).append('\n'));
        }

        md.append("\n## What each arm removed (recall per injected defect)\n\n| arm |");
        List<RemovalMetrics.DefectRemoval> kinds = r.arms().get(0).curation().removal().byDefect();
        for (RemovalMetrics.DefectRemoval d : kinds) {
            md.append(' ').append(d.defect()).append(" (").append(d.injected()).append(") |");
        }
        md.append(" clean pairs removed | near-duplicates removed |\n|---|");
        md.append("---:|".repeat(kinds.size() + 2)).append('\n');
        for (ArmReport a : r.arms()) {
            RemovalMetrics m = a.curation().removal();
            md.append("| ").append(a.name()).append(" |");
            for (RemovalMetrics.DefectRemoval d : m.byDefect()) {
                md.append(' ').append(pct(d.recall())).append(" |");
            }
            md.append(String.format(Locale.ROOT, " %,d of %,d | %,d of %,d |%n", m.cleanRemoved(),
                    m.pairs() - m.defects(), m.nearDuplicatesRemoved(), m.nearDuplicates()));
        }

        md.append("\n## Curation speed on the pool\n\n| arm | step | pairs in | pairs out | "
                + "seconds | pairs/s |\n|---|---|---:|---:|---:|---:|\n");
        for (ArmReport a : r.arms()) {
            for (StepSpeed s : a.curation().speeds()) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %.2f | %s |%n",
                        a.name(), s.step(), s.pairsIn(), s.pairsOut(), s.seconds(),
                        s.pairsPerSecond() == null ? "-" : String.format(Locale.ROOT, "%,.0f",
                                s.pairsPerSecond())));
            }
        }

        md.append("\n## Training runs\n\n| arm | seed | steps | samples seen | epochs | final "
                + "loss | samples/s |\n|---|---:|---:|---:|---:|---:|---:|\n");
        if (r.filter() != null) {
            md.append(run("filter", r.filter()));
        }
        for (ArmReport a : r.arms()) {
            for (SeedRun s : a.runs()) {
                md.append(run(a.name(), s.train()));
            }
        }

        md.append("\n## Checks\n\n");
        for (Check c : r.checks()) {
            md.append("- ").append(c.passed() ? "ok" : "**FAILED**").append(": ").append(c.name())
                    .append(" (").append(c.detail()).append(")\n");
        }
        md.append("\n## Plots\n\n![zero-shot](plots/zero-shot.png)\n![head vs tail]"
                + "(plots/head-tail.png)\n![removal](plots/removal.png)\n![concepts]"
                + "(plots/concepts.png)\n");
        return md.toString();
    }

    private static String run(String arm, dev.align.experiments.curation.RunResult t) {
        return String.format(Locale.ROOT, "| %s | %d | %d | %,d | %.1f | %.3f | %.0f |%n", arm,
                t.seed(), t.steps(), t.samplesSeen(), t.epochs(), t.finalLoss(),
                t.samplesPerSecond());
    }

    private static String describeModel(Recipe recipe) {
        return recipe.model().preset() != null ? "`" + recipe.model().preset() + "`"
                : "an inline model";
    }

    private static String pct(Double x) {
        return x == null ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * x);
    }

    private static String num(Double x) {
        return x == null ? "-" : String.format(Locale.ROOT, "%.3f", x);
    }

    private static String meanSd(MetricStats m) {
        if (m == null) {
            return "-";
        }
        SeedStatistics.Summary s = m.summary();
        return s.sd() == null ? String.format(Locale.ROOT, "%.1f", 100 * s.mean())
                : String.format(Locale.ROOT, "%.1f ± %.1f", 100 * s.mean(), 100 * s.sd());
    }

    private static String diff(MetricStats m) {
        if (m == null || m.vsRaw() == null) {
            return "";
        }
        SeedStatistics.PairedDifference d = m.vsRaw();
        if (d.low() == null) {
            return String.format(Locale.ROOT, "%+.1f", points(d.mean()));
        }
        return String.format(Locale.ROOT, "%+.1f [%+.1f, %+.1f]%s", points(d.mean()),
                points(d.low()), points(d.high()), d.significant() ? " *" : "");
    }

    /** A share in percentage points, rounded to 0.1, with no negative zero ("-0.0"). */
    private static double points(double share) {
        return Math.round(1000 * share) / 10.0 + 0.0;
    }
}
