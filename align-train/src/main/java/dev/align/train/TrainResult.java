package dev.align.train;

import java.nio.file.Path;

/**
 * What a finished run reports.
 *
 * @param steps optimizer steps completed
 * @param finalLoss loss of the last step
 * @param modelDir the final model folder ({@code model.safetensors} + {@code model.json})
 * @param samplesPerSecond mean pairs per second over the steps of this process
 */
public record TrainResult(long steps, double finalLoss, Path modelDir, double samplesPerSecond) {}
