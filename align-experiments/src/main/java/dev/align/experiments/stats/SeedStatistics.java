package dev.align.experiments.stats;

import dev.align.core.Checks;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * Statistics over the training seeds of an experiment, with Apache Commons Math 3: the mean and
 * sample standard deviation of a metric, and the confidence interval of an arm's difference to a
 * baseline paired by seed (Student's t on the per-seed differences: both arms trained with seed
 * {@code s} share the initialisation and data-order seed, so pairing removes that part of the
 * noise).
 */
public final class SeedStatistics {

    /** The confidence level of the reported intervals. */
    public static final double CONFIDENCE = 0.95;

    /** Standard deviations at or below this are a zero spread (rounding of equal values). */
    static final double ZERO_SPREAD = 1e-12;

    private SeedStatistics() {}

    /**
     * Mean and spread of a metric over seeds.
     *
     * @param n seeds
     * @param mean the mean
     * @param sd the sample standard deviation ({@code n - 1} in the denominator), {@code null}
     *     for one seed
     */
    public record Summary(int n, double mean, Double sd) {}

    /**
     * An arm's difference to the baseline, paired by seed.
     *
     * @param n seeds both have
     * @param mean mean of {@code arm[s] - baseline[s]}
     * @param sd sample standard deviation of the differences, {@code null} for one seed
     * @param low lower end of the {@code confidence} t interval, {@code null} for one seed
     * @param high upper end, {@code null} for one seed
     * @param confidence the level of the interval
     * @param significant whether the interval excludes 0: the difference is larger than the
     *     seed-to-seed noise. Always false for one seed, and when the differences do not vary
     *     over the seeds at all (then the t interval has zero width: a zero spread over a few
     *     seeds, typically of a coarse metric, is no estimate of the noise)
     */
    public record PairedDifference(int n, double mean, Double sd, Double low, Double high,
            double confidence, boolean significant) {}

    /**
     * Mean and sample standard deviation.
     *
     * @throws IllegalArgumentException if {@code values} is empty
     */
    public static Summary summarise(double[] values) {
        Checks.checkArgument(values != null && values.length > 0, "no values to summarise");
        DescriptiveStatistics s = new DescriptiveStatistics(values);
        return new Summary(values.length, s.getMean(),
                values.length < 2 ? null : s.getStandardDeviation());
    }

    /**
     * The paired difference {@code arm - baseline} with its t interval: mean of the differences
     * {@code d}, plus and minus {@code t(1 - (1 - confidence) / 2; n - 1) * sd(d) / sqrt(n)}.
     *
     * @param arm the arm's metric per seed
     * @param baseline the baseline's metric for the same seeds, in the same order
     * @param confidence in (0, 1), e.g. {@link #CONFIDENCE}
     * @throws IllegalArgumentException if the arrays are empty or of different lengths
     */
    public static PairedDifference paired(double[] arm, double[] baseline, double confidence) {
        Checks.checkArgument(arm != null && baseline != null && arm.length == baseline.length
                && arm.length > 0, "paired values need the same number (> 0) of seeds, got %s "
                + "and %s", arm == null ? null : arm.length, baseline == null ? null
                : baseline.length);
        Checks.checkArgument(confidence > 0 && confidence < 1, "confidence must be in (0, 1), "
                + "got %s", confidence);
        int n = arm.length;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = arm[i] - baseline[i];
        }
        DescriptiveStatistics s = new DescriptiveStatistics(d);
        double mean = s.getMean();
        if (n < 2) {
            return new PairedDifference(n, mean, null, null, null, confidence, false);
        }
        double sd = s.getStandardDeviation();
        double t = new TDistribution(n - 1).inverseCumulativeProbability(1 - (1 - confidence) / 2);
        double half = t * sd / Math.sqrt(n);
        double low = mean - half;
        double high = mean + half;
        boolean spread = sd > ZERO_SPREAD;        // not just floating-point noise
        return new PairedDifference(n, mean, sd, low, high, confidence,
                spread && (low > 0 || high < 0));
    }
}
