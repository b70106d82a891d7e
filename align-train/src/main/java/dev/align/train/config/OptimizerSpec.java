package dev.align.train.config;

import static dev.align.core.Checks.checkArgument;

import dev.align.core.json.JsonOptional;

/**
 * AdamW with decoupled weight decay, linear warmup then cosine decay, and global-norm clipping;
 * defaults are OpenCLIP's.
 *
 * @param peakLr learning rate at the end of warmup
 * @param minLr learning rate at the end of the cosine, default 0
 * @param warmupSteps linear warmup steps, default 0
 * @param weightDecay decoupled weight decay of weights with 2+ dimensions, default 0.1
 * @param beta1 default 0.9
 * @param beta2 default 0.98
 * @param eps default 1e-6
 * @param gradClipNorm global-norm clipping threshold, default 1.0; 0 disables clipping
 */
public record OptimizerSpec(double peakLr, @JsonOptional Double minLr, @JsonOptional Long warmupSteps,
        @JsonOptional Double weightDecay, @JsonOptional Double beta1, @JsonOptional Double beta2,
        @JsonOptional Double eps, @JsonOptional Double gradClipNorm) {

    /** Applies defaults and checks ranges. */
    public OptimizerSpec {
        minLr = minLr == null ? 0.0 : minLr;
        warmupSteps = warmupSteps == null ? 0L : warmupSteps;
        weightDecay = weightDecay == null ? 0.1 : weightDecay;
        beta1 = beta1 == null ? 0.9 : beta1;
        beta2 = beta2 == null ? 0.98 : beta2;
        eps = eps == null ? 1e-6 : eps;
        gradClipNorm = gradClipNorm == null ? 1.0 : gradClipNorm;
        checkArgument(peakLr > 0 && Double.isFinite(peakLr), "optimizer.peakLr must be > 0, got %s", peakLr);
        checkArgument(minLr >= 0 && minLr <= peakLr, "optimizer.minLr must be in [0, peakLr %s], got %s",
                peakLr, minLr);
        checkArgument(warmupSteps >= 0, "optimizer.warmupSteps must be >= 0, got %s", warmupSteps);
        checkArgument(weightDecay >= 0, "optimizer.weightDecay must be >= 0, got %s", weightDecay);
        checkArgument(beta1 >= 0 && beta1 < 1, "optimizer.beta1 must be in [0, 1), got %s", beta1);
        checkArgument(beta2 >= 0 && beta2 < 1, "optimizer.beta2 must be in [0, 1), got %s", beta2);
        checkArgument(eps > 0, "optimizer.eps must be > 0, got %s", eps);
        checkArgument(gradClipNorm >= 0, "optimizer.gradClipNorm must be >= 0 (0 = off), got %s",
                gradClipNorm);
    }
}
