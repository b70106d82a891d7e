/**
 * Evaluation during training: zero-shot and retrieval scores of the live model every N steps
 * ({@link dev.align.train.eval.Evaluation}), logged to {@code eval.jsonl}.
 */
package dev.align.train.eval;
