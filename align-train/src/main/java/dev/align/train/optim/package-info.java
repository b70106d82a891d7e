/**
 * Optimisation for contrastive training: a checkpointable {@link dev.align.train.optim.AdamW}
 * with PyTorch's semantics and OpenCLIP's parameter groups, the warmup-plus-cosine
 * {@link dev.align.train.optim.CosineSchedule}, and global-norm
 * {@link dev.align.train.optim.GradClip gradient clipping}.
 */
package dev.align.train.optim;
