package dev.align.experiments.eval;

/**
 * Zero-shot accuracy over a subset of the evaluation images.
 *
 * @param images images evaluated in the subset
 * @param top1 share whose right class ranks first ({@code null} without images)
 * @param top5 share whose right class ranks in the first {@code min(5, C)}
 */
public record ZeroShotSplit(int images, Double top1, Double top5) {}
