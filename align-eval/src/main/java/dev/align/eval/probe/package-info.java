/**
 * Linear probes: multinomial logistic regression on frozen embeddings, fitted by a deterministic
 * L-BFGS in plain Java double arithmetic, with the L2 strength chosen on a validation split.
 */
package dev.align.eval.probe;
