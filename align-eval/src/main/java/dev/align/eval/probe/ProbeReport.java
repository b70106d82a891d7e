package dev.align.eval.probe;

import java.util.List;

/**
 * The result of a linear probe with a regularisation sweep.
 *
 * @param trials every L2 strength tried, in the order given
 * @param bestL2 the strength chosen on the validation split
 * @param testTop1 top-1 accuracy on the test split of the probe fitted with {@code bestL2}
 * @param probe that probe
 */
public record ProbeReport(List<L2Trial> trials, double bestL2, double testTop1, LinearProbe probe) {}
