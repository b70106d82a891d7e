package dev.align.experiments.curation;

/**
 * One finished training run, written as {@code run.json} (its completion marker).
 *
 * @param name the arm's name, or {@code filter}
 * @param seed the training seed
 * @param steps optimizer steps completed
 * @param globalBatch pairs per step
 * @param samplesSeen pairs trained on: {@code steps * globalBatch}
 * @param streamPosition samples the data source took from its shard stream (pairs plus any that
 *     failed to decode); equal compute means equal values for every run
 * @param pairs pairs in the run's training set
 * @param epochs {@code samplesSeen / pairs}
 * @param finalLoss the last step's loss
 * @param seconds wall time of the run in this process (a resumed run counts its last part)
 * @param samplesPerSecond pairs per second over that time
 * @param model the final model folder
 */
public record RunResult(String name, long seed, long steps, int globalBatch, long samplesSeen,
        long streamPosition, long pairs, double epochs, double finalLoss, double seconds,
        double samplesPerSecond, String model) {}
