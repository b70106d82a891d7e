/**
 * The experiment's pool: real image-text pairs from several sources ({@link
 * dev.align.experiments.pool.SourceItems}), with defects injected by a seeded generator ({@link
 * dev.align.experiments.pool.NoiseInjector}) and every pair's truth recorded in a manifest
 * ({@link dev.align.experiments.pool.ManifestEntry}).
 */
package dev.align.experiments.pool;
