package dev.align.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.align.models.loss.ChunkedSigLipLoss;
import dev.align.models.loss.InfoNceLoss;
import dev.align.models.loss.LossGradients;
import dev.align.models.loss.SigLipLoss;
import java.util.List;
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
 * Forward and backward of a contrastive loss over {@code [B, E]} unit embeddings: InfoNCE and
 * SigLIP through autograd (gradients w.r.t. both embeddings and the scale/bias), and chunked
 * SigLIP's analytic gradients ({@code chunk = 1024}, memory {@code O(B * chunk)} instead of
 * {@code O(B^2)}). Time per loss+gradients.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true", "-Dai.djl.pytorch.num_threads=2",
        "-Dai.djl.pytorch.num_interop_threads=1"})
public class LossBench {

    @Param({"infonce", "siglip", "chunked-siglip"})
    public String loss;

    @Param({"1024", "4096", "16384"})
    public int batch;

    @Param({"512"})
    public int embedDim;

    private NDManager manager;
    private NDArray img; // [B, E] leaf
    private NDArray txt; // [B, E] leaf
    private NDArray scale; // [] leaf, log space
    private NDArray bias; // [] leaf

    @Setup
    public void setUp() {
        manager = NDManager.newBaseManager();
        img = Batches.unitRows(manager, batch, embedDim, 1);
        txt = Batches.unitRows(manager, batch, embedDim, 2);
        scale = Batches.scalar(manager, Math.log(10));
        bias = Batches.scalar(manager, -10);
        if (!loss.equals("chunked-siglip")) {
            for (NDArray a : List.of(img, txt, scale, bias)) {
                a.setRequiresGradient(true);
            }
        }
    }

    @Benchmark
    public float lossAndGradients(MachineLoad load) {
        return switch (loss) {
            case "infonce" -> autograd(new InfoNceLoss()::compute);
            case "siglip" -> autograd(new SigLipLoss()::compute);
            case "chunked-siglip" -> chunked();
            default -> throw new IllegalArgumentException("unknown loss " + loss);
        };
    }

    private interface LossFn {
        NDArray compute(NDArray img, NDArray txt, NDArray scale, NDArray bias);
    }

    private float autograd(LossFn fn) {
        try (NDScope scope = new NDScope();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray l = fn.compute(img, txt, scale, bias);
            gc.backward(l);
            float value = l.getFloat();
            for (NDArray a : List.of(img, txt, scale, bias)) {
                JniUtils.zeroGrad((PtNDArray) a); // gradients accumulate otherwise
            }
            return value;
        }
    }

    private float chunked() {
        try (LossGradients g = new ChunkedSigLipLoss(1024).lossAndGradients(img, txt, scale, bias)) {
            return g.loss().getFloat();
        }
    }

    @TearDown
    public void tearDown() {
        manager.close();
    }
}
