package dev.align.train.metrics;

import java.util.Map;

/**
 * One optimizer step as logged to {@code metrics.jsonl}.
 *
 * @param step the step (1-based: the number of steps completed)
 * @param loss the global-batch loss
 * @param lr the learning rate used
 * @param gradNorm global gradient norm before clipping
 * @param paramNorm global norm of the trainable weights after the update
 * @param logitScale the temperature's scale {@code exp(logit_scale)} after clamping
 * @param samplesPerSecond pairs per second of this step (data + compute)
 * @param elapsedSeconds wall time since the run (or its resumption) started
 * @param skipped corrupt samples skipped so far, by reason
 */
public record StepMetrics(long step, double loss, double lr, double gradNorm, double paramNorm,
        double logitScale, double samplesPerSecond, double elapsedSeconds, Map<String, Long> skipped) {}
