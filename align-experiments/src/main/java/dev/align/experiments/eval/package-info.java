/**
 * The evaluation every arm of an experiment gets: zero-shot classification of OpenMoji drawings
 * (split into head and tail concepts) and retrieval both ways ({@link
 * dev.align.experiments.eval.ArmEvaluator}), on a set of classes chosen once ({@link
 * dev.align.experiments.eval.EvalSet}).
 */
package dev.align.experiments.eval;
