package dev.align.experiments.curation;

import java.util.Locale;

/**
 * The compute plan, printed before anything runs.
 *
 * @param arms arms
 * @param seeds training seeds per arm
 * @param runs training runs: {@code arms * seeds} plus the filter network's
 * @param stepsPerRun optimizer steps of an arm's run
 * @param globalBatch pairs per step
 * @param samplesPerRun {@code stepsPerRun * globalBatch}: the same for every arm
 * @param totalSamples pairs trained on over all runs
 * @param nominalSamplesPerSecond the assumed speed of one run alone on every core (a quiet
 *     2-core machine)
 * @param parallelRuns runs trained at once
 * @param parallelSpeedup the assumed throughput of {@code parallelRuns} runs at once, as a multiple
 *     of one run alone ({@link #speedup})
 * @param estimatedTrainingMinutes {@code totalSamples / (nominalSamplesPerSecond *
 *     parallelSpeedup) / 60}
 */
public record Plan(int arms, int seeds, int runs, long stepsPerRun, int globalBatch,
        long samplesPerRun, long totalSamples, double nominalSamplesPerSecond, int parallelRuns,
        double parallelSpeedup, double estimatedTrainingMinutes) {

    /**
     * Training speed of one {@code tiny} run at 32 px, batch 128, alone on 2 quiet cores with 2
     * libtorch threads: the experiment's own runs measured 195 samples/s (December 2026), data
     * loading, checkpoints and progress included; the bare step benchmark at batch 256
     * (benchmarks/README.md: 330 to 380 samples/s) leaves those out.
     */
    public static final double TINY_SAMPLES_PER_SECOND = 195;

    /**
     * The throughput each run adds when several train at once, as a share of a run alone on every
     * core: 0.65, so two runs of 1 libtorch thread on 2 cores are assumed to do 1.3 times the
     * work of one 2-thread run. Measured on 2 cores in December 2026: 1.28x to 1.41x in the
     * quick experiment's runs (2 x 158 to 2 x 176 against 246 to 249 samples/s, batch 64) and
     * 1.27x to 1.7x for two training processes side by side; a run's per-operation overhead
     * keeps one thread busy while a second core mostly idles. The full recipe's batch of 128
     * has less overhead per sample, so the lower end is assumed.
     */
    public static final double PARALLEL_EFFICIENCY = 0.65;

    /** The plan of a config. */
    public static Plan of(CurationExperimentConfig c) {
        Recipe r = c.recipe();
        boolean filter = c.arms().stream().anyMatch(ArmConfig::usesFilter);
        long filterSteps = !filter ? 0 : c.filter().steps() != null ? c.filter().steps()
                : r.steps();
        int runs = c.arms().size() * c.trainSeeds().size() + (filter ? 1 : 0);
        long perRun = r.steps() * r.globalBatch();
        long total = perRun * c.arms().size() * c.trainSeeds().size()
                + filterSteps * r.globalBatch();
        // Cost per sample grows with the model's size; scale tiny's speed by parameters' proxy.
        double rate = TINY_SAMPLES_PER_SECOND * workRatio(r);
        double speedup = speedup(c.parallelRuns());
        return new Plan(c.arms().size(), c.trainSeeds().size(), runs, r.steps(), r.globalBatch(),
                perRun, total, rate, c.parallelRuns(), speedup, total / (rate * speedup) / 60);
    }

    /**
     * The assumed throughput of {@code parallelRuns} runs at once against one run alone on the
     * same cores: 1 for one run, else {@code parallelRuns * PARALLEL_EFFICIENCY} (1.3 for two).
     * It ignores the runs that finish last and train alone, and the filter network's run, which
     * only the runs of arms that do not use it can accompany.
     */
    public static double speedup(int parallelRuns) {
        return parallelRuns <= 1 ? 1 : parallelRuns * PARALLEL_EFFICIENCY;
    }

    /** Relative speed of the recipe's model against tiny at 32 px (token-width work ratio). */
    private static double workRatio(Recipe r) {
        var v = r.clipConfig().vision();
        var t = r.clipConfig().text();
        double tiny = (64 + 1) * 128.0 * 128 * 4 + 32 * 128.0 * 128 * 4;
        double work = (double) v.tokens() * v.width() * v.width() * v.layers()
                + (double) t.contextLength() * t.width() * t.width() * t.layers();
        return Math.max(1e-3, tiny / Math.max(1, work));
    }

    /** The plan in a few lines. */
    public String describe() {
        String speed = parallelRuns == 1
                ? String.format(Locale.ROOT, "at %.0f samples/s (one run at a time on 2 quiet "
                        + "cores)", nominalSamplesPerSecond)
                : String.format(Locale.ROOT, "with %d runs at a time, assumed %.1fx the %.0f "
                        + "samples/s of one run alone on 2 quiet cores", parallelRuns,
                        parallelSpeedup, nominalSamplesPerSecond);
        return String.format(Locale.ROOT, "plan: %d arms x %d seeds + filter = %d training runs; "
                + "every arm's run: %d steps x %d = %,d samples; all runs: %,d samples, about "
                + "%.0f minutes of training %s; measured speed is printed as runs finish",
                arms, seeds, runs, stepsPerRun, globalBatch, samplesPerRun, totalSamples,
                estimatedTrainingMinutes, speed);
    }
}
