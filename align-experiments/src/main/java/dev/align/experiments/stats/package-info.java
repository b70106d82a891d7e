/**
 * The numbers an experiment reports: statistics over training seeds with paired t intervals
 * ({@link dev.align.experiments.stats.SeedStatistics}, Apache Commons Math), what a curation
 * removed against the injected defects ({@link dev.align.experiments.stats.RemovalMetrics}) and
 * how flat its concept histogram is ({@link dev.align.experiments.stats.ConceptBalance}).
 */
package dev.align.experiments.stats;
