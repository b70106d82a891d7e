package dev.align.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One CLIP training step of the {@code tiny} and {@code small} presets, fp32, on a fixed synthetic
 * batch: forward of both towers, symmetric InfoNCE, backward, then gradients zeroed
 * ({@code trainStep}) or the trainer's whole update ({@code trainStepWithAdamW}: clipping, AdamW,
 * temperature clamp), so the optimizer's share of a step shows. Time per step; {@code bench/run} turns it into samples/s ({@code B / t}) and
 * model GFLOP/s ({@link ClipFlops#trainStep} / t), the peer's metrics.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 5, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true", "-Dai.djl.pytorch.num_threads=2",
        "-Dai.djl.pytorch.num_interop_threads=1"})
public class TrainStepBench {

    @Param({"tiny", "small"})
    public String preset;

    @Param({"256"})
    public int batch;

    private TrainStep step;

    @Setup
    public void setUp() {
        step = new TrainStep(preset, batch);
    }

    @Benchmark
    public float trainStep(MachineLoad load) {
        return step.run();
    }

    @Benchmark
    public float trainStepWithAdamW(MachineLoad load) {
        return step.runWithUpdate();
    }

    @TearDown
    public void tearDown() {
        step.close();
    }
}
