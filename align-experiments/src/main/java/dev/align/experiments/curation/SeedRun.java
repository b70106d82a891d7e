package dev.align.experiments.curation;

import dev.align.experiments.eval.EvalResult;

/**
 * One seed of one arm: its training run and its evaluation.
 *
 * @param seed the training seed
 * @param train the run
 * @param eval the evaluation of its final model
 */
public record SeedRun(long seed, RunResult train, EvalResult eval) {}
