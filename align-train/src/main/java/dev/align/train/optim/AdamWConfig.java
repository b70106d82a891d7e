package dev.align.train.optim;

import dev.align.core.Checks;

/**
 * Hyperparameters of {@link AdamW} other than the learning rate, which the schedule gives per step.
 *
 * @param beta1 decay of the first moment (gradient mean), {@code [0, 1)}
 * @param beta2 decay of the second moment (squared gradient), {@code [0, 1)}
 * @param eps added to the bias-corrected {@code sqrt(v)}, {@code > 0}
 * @param weightDecay decoupled weight decay applied as {@code p *= 1 - lr * weightDecay} to the
 *     decayed group only, {@code >= 0}
 */
public record AdamWConfig(double beta1, double beta2, double eps, double weightDecay) {

    /** Checks the ranges above. */
    public AdamWConfig {
        Checks.checkArgument(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got %s", beta1);
        Checks.checkArgument(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got %s", beta2);
        Checks.checkArgument(eps > 0 && Double.isFinite(eps), "eps must be > 0, got %s", eps);
        Checks.checkArgument(weightDecay >= 0 && Double.isFinite(weightDecay),
                "weightDecay must be >= 0, got %s", weightDecay);
    }

    /** OpenCLIP's defaults: betas (0.9, 0.98), eps 1e-6, weight decay 0.2. */
    public static AdamWConfig openClip() {
        return new AdamWConfig(0.9, 0.98, 1e-6, 0.2);
    }

    /** This configuration with another weight decay (0.1 is common for smaller runs). */
    public AdamWConfig withWeightDecay(double weightDecay) {
        return new AdamWConfig(beta1, beta2, eps, weightDecay);
    }
}
