/**
 * JMH benchmarks of align on libtorch: GEMM peak ({@link dev.align.benchmarks.GemmBench}),
 * contrastive losses ({@link dev.align.benchmarks.LossBench}), CLIP training steps and embedding
 * throughput ({@link dev.align.benchmarks.TrainStepBench}), with the peer benchmark's FLOP model
 * ({@link dev.align.benchmarks.ClipFlops}) for GFLOP/s and MFU. Run them with {@code bench/run}.
 */
package dev.align.benchmarks;
