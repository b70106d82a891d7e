/**
 * One training step's forward and backward over a global batch: {@link
 * dev.align.train.step.GradientCache} (OpenCLIP's {@code --accum-freq}, GradCache) computes the
 * exact full-batch contrastive loss and gradients one micro-batch at a time, with the losses it can
 * drive expressed as {@link dev.align.train.step.EmbeddingLoss}.
 */
package dev.align.train.step;
