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
 * @param nominalSamplesPerSecond the assumed training speed (a quiet 2-core machine)
 * @param estimatedTrainingMinutes {@code totalSamples / nominalSamplesPerSecond / 60}
 */
public record Plan(int arms, int seeds, int runs, long stepsPerRun, int globalBatch,
        long samplesPerRun, long totalSamples, double nominalSamplesPerSecond,
        double estimatedTrainingMinutes) {

    /** Training speed of {@code tiny} at 32 px on 2 quiet cores (benchmarks/README.md). */
    public static final double TINY_SAMPLES_PER_SECOND = 300;

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
        return new Plan(c.arms().size(), c.trainSeeds().size(), runs, r.steps(), r.globalBatch(),
                perRun, total, rate, total / rate / 60);
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
        return String.format(Locale.ROOT, "plan: %d arms x %d seeds + filter = %d training runs; "
                + "every arm's run: %d steps x %d = %,d samples; all runs: %,d samples, about "
                + "%.0f minutes of training at %.0f samples/s (2 quiet cores; measured speed is "
                + "printed as runs finish)", arms, seeds, runs, stepsPerRun, globalBatch,
                samplesPerRun, totalSamples, estimatedTrainingMinutes, nominalSamplesPerSecond);
    }
}
