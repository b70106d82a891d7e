package dev.align.cli;

import dev.align.experiments.curation.Check;
import dev.align.experiments.curation.CurationExperiment;
import dev.align.experiments.curation.CurationExperimentConfig;
import dev.align.experiments.curation.ExperimentReport;
import dev.align.experiments.curation.Plan;
import dev.align.train.StopRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./align experiment}: experiments that compose the whole library. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Run an experiment that composes the library end to end.",
        subcommands = {ExperimentCommand.Curation.class})
final class ExperimentCommand {

    @Command(name = "curation", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Compare data curation at equal compute: raw, ALIGN's rules, MetaCLIP, "
                    + "DFN, their hybrid and an oracle, on a pool of real pairs (Google and "
                    + "Twitter emoji, Material Design Icons, Openclipart) with injected noise of "
                    + "known truth; every arm trained with the same recipe over several seeds and "
                    + "evaluated zero-shot and by retrieval on OpenMoji drawings.",
                "OUT gets report.json, report.md, plots/*.png, every arm's runs under "
                        + "arms/ARM/seed-S/ (model/ included) and the pool under work/. Run it "
                        + "again with the same config to resume: finished stages are not redone.",
                "SIGTERM during a training run finishes its step, writes a checkpoint and exits "
                        + "with status 75; at any other stage it exits at once (143). Either way "
                        + "the same command resumes (an interrupted training run from its last "
                        + "checkpoint, bit-exactly; an interrupted stage is redone). With "
                        + "parallelRuns > 1 every run in progress writes its checkpoint.",
                "Real sets are fetched on first use by tools/fetch/fetch KIND."})
    static final class Curation implements Callable<Integer> {
        @Option(names = "--out", paramLabel = "DIR",
                description = "The report folder (created; an earlier run resumes). Required "
                        + "unless --print-config.")
        Path out;

        @Option(names = "--config", paramLabel = "FILE",
                description = "The experiment as strict JSON (--print-config writes one to start "
                        + "from). Default: the full experiment.")
        Path config;

        @Option(names = "--quick", description = "The same path at a size that runs in a few "
                + "minutes (2 seeds, a small pool, 40 classes).")
        boolean quick;

        @Option(names = "--print-config", description = "Print the config (default, --quick or "
                + "--config) with every default filled in, and its plan, then exit.")
        boolean printConfig;

        @Option(names = "--check", description = "Exit with status 4 if a self-check fails "
                + "(every arm trained, equal compute, removal figures agree with the manifest, "
                + "the oracle above chance).")
        boolean check;

        @Option(names = "--no-fetch", description = "Fail instead of running tools/fetch/fetch "
                + "when a data set is not in the cache.")
        boolean noFetch;

        @Override
        public Integer call() throws IOException {
            if (quick && config != null) {
                throw new IllegalArgumentException("give either --quick or --config, not both");
            }
            CurationExperimentConfig cfg = config != null
                    ? CurationExperimentConfig.fromJson(config)
                    : quick ? CurationExperimentConfig.quick() : CurationExperimentConfig.full();
            if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
                // must happen before the engine loads (DJL reads it once, for the process): the
                // parallelRuns runs that train at once share the threads
                System.setProperty("ai.djl.pytorch.num_threads",
                        String.valueOf(cfg.threadsPerRun()));
            }
            if (printConfig) {
                System.out.println(cfg.toJson());
                System.err.println(Plan.of(cfg).describe());
                return 0;
            }
            if (out == null) {
                throw new IllegalArgumentException("--out DIR is required to run the experiment "
                        + "(only --print-config runs without one)");
            }
            CurationExperiment experiment = new CurationExperiment(cfg, out,
                    kind -> DataCache.ensure(kind, !noFetch), System.err);
            StopRequest stop = new StopRequest();
            TermSignal.install(stop);
            experiment.stopWhen(stop);
            ExperimentReport report = experiment.run();
            boolean failed = report.checks().stream().anyMatch(c -> !c.passed());
            for (Check c : report.checks()) {
                System.out.println((c.passed() ? "ok     " : "FAILED ") + c.name() + ": "
                        + c.detail());
            }
            System.out.println("report: " + out.resolve("report.md"));
            return check && failed ? 4 : 0;
        }
    }
}
