package dev.align.train.optim;

import dev.align.core.Checks;

/**
 * Learning rate with a linear warmup followed by a cosine decay, as OpenCLIP's
 * {@code cosine_lr} and nanoGPT's {@code get_lr}: a pure function of the 0-based step.
 *
 * <pre>
 * step &lt; warmupSteps:  lr = peakLr * (step + 1) / warmupSteps
 * otherwise:           progress = min(1, (step - warmupSteps) / (totalSteps - warmupSteps))
 *                      lr = minLr + 0.5 * (peakLr - minLr) * (1 + cos(pi * progress))
 * </pre>
 *
 * <p>The peak is reached at step {@code warmupSteps}, {@code minLr} at {@code totalSteps} and
 * kept after it.
 *
 * @param peakLr learning rate at the end of the warmup
 * @param minLr learning rate at and after {@code totalSteps}, {@code 0 <= minLr <= peakLr}
 * @param warmupSteps steps of linear warmup, {@code >= 0}
 * @param totalSteps steps until the decay reaches {@code minLr}, {@code > warmupSteps}
 */
public record CosineSchedule(double peakLr, double minLr, long warmupSteps, long totalSteps) {

    /** Checks the invariants; see the record's description. */
    public CosineSchedule {
        Checks.checkArgument(warmupSteps >= 0, "warmupSteps must be >= 0, got %s", warmupSteps);
        Checks.checkArgument(totalSteps > warmupSteps,
                "totalSteps must exceed warmupSteps, got totalSteps=%s, warmupSteps=%s",
                totalSteps, warmupSteps);
        Checks.checkArgument(Double.isFinite(peakLr) && Double.isFinite(minLr)
                        && peakLr >= minLr && minLr >= 0,
                "need peakLr >= minLr >= 0 (finite), got peakLr=%s, minLr=%s", peakLr, minLr);
    }

    /** The learning rate of 0-based {@code step} (any step {@code >= 0}; later steps give minLr). */
    public double lr(long step) {
        Checks.checkArgument(step >= 0, "step must be >= 0, got %s", step);
        if (step < warmupSteps) {
            return peakLr * (step + 1) / warmupSteps;
        }
        double progress = Math.min(1.0, (step - warmupSteps) / (double) (totalSteps - warmupSteps));
        return minLr + 0.5 * (peakLr - minLr) * (1 + Math.cos(Math.PI * progress));
    }
}
