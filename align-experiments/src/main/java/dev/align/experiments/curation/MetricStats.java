package dev.align.experiments.curation;

import dev.align.experiments.stats.SeedStatistics;

/**
 * A metric of an arm over seeds.
 *
 * @param values the metric per seed, in the order of the config's seeds
 * @param summary mean and standard deviation
 * @param vsRaw the difference to the raw arm, paired by seed ({@code null} for the raw arm)
 */
public record MetricStats(double[] values, SeedStatistics.Summary summary,
        SeedStatistics.PairedDifference vsRaw) {}
