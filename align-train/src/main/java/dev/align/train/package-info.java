/** Contrastive training of dual encoders: the loop ({@link dev.align.train.Trainer}) and its parts. */
package dev.align.train;
