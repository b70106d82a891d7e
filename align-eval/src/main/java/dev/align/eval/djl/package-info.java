/**
 * align's dual encoder in DJL's inference stack: each tower as a {@link ai.djl.Model} whose block
 * is a {@link dev.align.eval.djl.ClipTowerBlock}, with {@link
 * dev.align.eval.djl.ClipImageTranslator} and {@link dev.align.eval.djl.ClipTextTranslator} for
 * DJL's {@link ai.djl.inference.Predictor}.
 */
package dev.align.eval.djl;
