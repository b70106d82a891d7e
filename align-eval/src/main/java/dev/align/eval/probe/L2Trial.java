package dev.align.eval.probe;

/**
 * One point of the regularisation sweep.
 *
 * @param l2 the L2 strength {@code lambda}
 * @param trainAccuracy top-1 on the training split
 * @param validationAccuracy top-1 on the validation split
 * @param iterations L-BFGS iterations of the fit
 */
public record L2Trial(double l2, double trainAccuracy, double validationAccuracy, int iterations) {}
