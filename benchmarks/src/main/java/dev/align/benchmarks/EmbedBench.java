package dev.align.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.align.models.clip.ClipModel;
import dev.align.models.config.ClipConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * Forward-only embedding of a batch (no gradient, eval mode): {@code encodeImage} of
 * {@code [B, 3, S, S]} pixels and {@code encodeText} of {@code [B, T]} ids, for {@code small} and
 * {@code ViT-B-32}. Time per batch; {@code bench/run} reports images/s and texts/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true", "-Dai.djl.pytorch.num_threads=2",
        "-Dai.djl.pytorch.num_interop_threads=1"})
public class EmbedBench {

    @Param({"small", "ViT-B-32"})
    public String preset;

    @Param({"256"})
    public int batch;

    private NDManager manager;
    private ClipModel model;
    private ParameterStore ps;
    private NDArray pixels;
    private NDArray ids;

    @Setup
    public void setUp() {
        ClipConfig c = ClipConfig.preset(preset);
        manager = NDManager.newBaseManager();
        model = ClipModel.create(c, manager, DataType.FLOAT32, 0);
        ps = new ParameterStore(manager, false);
        pixels = Batches.pixels(manager, c, batch, 1);
        ids = Batches.ids(manager, c, batch, 2);
    }

    /** Grad mode is per thread (DJL.md section 6): turn it off on the measuring thread. */
    @Setup(Level.Iteration)
    public void noGrad() {
        JniUtils.setGradMode(false);
    }

    @Benchmark
    public float images(MachineLoad load) {
        try (NDManager step = manager.newSubManager()) {
            NDArray px = TrainStep.step(step, pixels);
            return model.encodeImage(ps, px, false).getFloat(0, 0);
        }
    }

    @Benchmark
    public float texts(MachineLoad load) {
        try (NDManager step = manager.newSubManager()) {
            NDArray tok = TrainStep.step(step, ids);
            return model.encodeText(ps, tok, false).getFloat(0, 0);
        }
    }

    @TearDown
    public void tearDown() {
        manager.close();
    }
}
