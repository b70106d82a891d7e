package dev.align.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
 * fp32 {@code [n, n] x [n, n]} through DJL's {@code matMul} (libtorch's MKL sgemm): the machine's
 * GEMM peak as the library sees it, the denominator of MFU. Time per product; {@code bench/run}
 * reports {@code 2 n^3 / t} GFLOP/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true", "-Dai.djl.pytorch.num_threads=2",
        "-Dai.djl.pytorch.num_interop_threads=1"})
public class GemmBench {

    @Param({"512", "1024", "2048"})
    public int n;

    private NDManager manager;
    private NDArray a;
    private NDArray b;

    @Setup
    public void setUp() {
        manager = NDManager.newBaseManager();
        a = manager.randomNormal(new ai.djl.ndarray.types.Shape(n, n));
        b = manager.randomNormal(new ai.djl.ndarray.types.Shape(n, n));
    }

    @Benchmark
    public float matMul(MachineLoad load) {
        try (NDArray c = a.matMul(b)) {
            return c.getFloat(0, 0);
        }
    }

    @TearDown
    public void tearDown() {
        manager.close();
    }
}
