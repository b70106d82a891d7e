package dev.align.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.align.models.clip.ClipOutput;
import java.util.Arrays;

/**
 * Where a training step's time goes: times forward (image tower, text tower), loss, backward and
 * gradient zeroing separately over several steps and prints medians, then checks that the live
 * array count stays flat. JFR cannot see into libtorch, so wall-clock phases are the profile.
 *
 * <p>{@code java ... dev.align.benchmarks.StepProfile [preset=tiny] [batch=256] [steps=10]}
 */
public final class StepProfile {

    private StepProfile() {}

    public static void main(String[] args) {
        String preset = args.length > 0 ? args[0] : "tiny";
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        try (TrainStep s = new TrainStep(preset, batch)) {
            for (int i = 0; i < 3; i++) {
                s.run(); // warm-up
            }
            int live0 = s.liveArrays();
            double[][] t = new double[6][steps]; // image, text, loss, backward, zero, total
            for (int i = 0; i < steps; i++) {
                long t0 = System.nanoTime();
                try (NDManager step = s.manager.newSubManager(); NDScope scope = new NDScope()) {
                    NDArray px = TrainStep.step(step, s.pixelsForProfile());
                    NDArray tok = TrainStep.step(step, s.idsForProfile());
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        long a = System.nanoTime();
                        NDArray ie = s.model.encodeImage(s.ps, px, true);
                        ie.getFloat(0, 0);
                        long b = System.nanoTime();
                        NDArray te = s.model.encodeText(s.ps, tok, true);
                        te.getFloat(0, 0);
                        long c = System.nanoTime();
                        ClipOutput out = new ClipOutput(ie, te,
                                s.ps.getValue(s.model.logitScale(), px.getDevice(), true), null);
                        NDArray l = s.loss.compute(out.imageEmbeds(), out.textEmbeds(), out.logitScale(), null);
                        l.getFloat();
                        long d = System.nanoTime();
                        gc.backward(l);
                        long e = System.nanoTime();
                        s.zeroGradients();
                        long f = System.nanoTime();
                        t[0][i] = b - a;
                        t[1][i] = c - b;
                        t[2][i] = d - c;
                        t[3][i] = e - d;
                        t[4][i] = f - e;
                    }
                }
                t[5][i] = System.nanoTime() - t0;
            }
            String[] names = {"image fwd", "text fwd", "loss fwd", "backward", "zero grads", "step"};
            double total = median(t[5]);
            System.out.printf("%s B=%d threads=%s: median of %d steps%n", preset, batch,
                    System.getProperty("ai.djl.pytorch.num_threads", "default"), steps);
            for (int k = 0; k < names.length; k++) {
                double m = median(t[k]);
                System.out.printf("  %-10s %8.1f ms  %5.1f%%  (min %.1f, max %.1f)%n", names[k], m / 1e6,
                        100 * m / total, Arrays.stream(t[k]).min().orElse(0) / 1e6,
                        Arrays.stream(t[k]).max().orElse(0) / 1e6);
            }
            double flops = ClipFlops.trainStep(s.config, batch);
            System.out.printf("  %.1f samples/s, %.1f model GFLOP/s; live arrays %d -> %d%n",
                    batch / (total / 1e9), flops / total, live0, s.liveArrays());
        }
    }

    private static double median(double[] x) {
        double[] c = x.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }
}
