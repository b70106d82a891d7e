package dev.align.eval.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearProbeTest {

    @Test
    void gradientMatchesCentralDifferences() {
        Random rnd = new Random(3);
        int n = 7;
        int d = 3;
        int c = 4;
        float[][] x = new float[n][d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = (float) rnd.nextGaussian();
            }
            y[i] = rnd.nextInt(c);
        }
        double[] w = new double[c * (d + 1)];
        for (int i = 0; i < w.length; i++) {
            w[i] = rnd.nextGaussian();
        }
        double l2 = 0.3;
        double[] grad = new double[w.length];
        LinearProbe.objective(x, y, c, l2, w, grad);
        double h = 1e-5;
        double[] scratch = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            double[] wp = w.clone();
            double[] wm = w.clone();
            wp[i] += h;
            wm[i] -= h;
            double numeric = (LinearProbe.objective(x, y, c, l2, wp, scratch)
                    - LinearProbe.objective(x, y, c, l2, wm, scratch)) / (2 * h);
            assertEquals(numeric, grad[i], 1e-8 * Math.max(1, Math.abs(numeric)), "param " + i);
        }
    }

    @Test
    void reachesTheAnalyticOptimumOfASymmetricProblem() {
        // x = +1 for class 0, -1 for class 1: by symmetry b = 0 and W = (a, -a) with
        // f(a) = log(1 + exp(-2a)) + lambda a^2, so lambda a = sigmoid(-2a)
        double lambda = 0.1;
        float[][] x = {{1}, {1}, {-1}, {-1}};
        int[] y = {0, 0, 1, 1};
        LinearProbe p = LinearProbe.fit(x, y, 2, lambda);
        double lo = 0;
        double hi = 100;
        for (int i = 0; i < 200; i++) {                           // bisection on g(a) = lambda a - sigmoid(-2a)
            double mid = (lo + hi) / 2;
            if (lambda * mid - 1 / (1 + Math.exp(2 * mid)) > 0) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        assertEquals(lo, p.weight(0, 0), 1e-6);
        assertEquals(-lo, p.weight(1, 0), 1e-6);
        assertEquals(0, p.bias(0) - p.bias(1), 1e-6);
        assertEquals(1.0, p.accuracy(x, y));
    }

    @Test
    void separatesSeparableClustersAndSweepPicksOnValidation() {
        Random rnd = new Random(11);
        float[][] centres = {{3, 0}, {0, 3}, {-3, -3}};
        float[][][] splits = new float[3][][];
        int[][] labels = new int[3][];
        int[] sizes = {60, 30, 30};
        for (int s = 0; s < 3; s++) {
            splits[s] = new float[sizes[s]][];
            labels[s] = new int[sizes[s]];
            for (int i = 0; i < sizes[s]; i++) {
                // training: class 0 three times as frequent; validation and test: balanced
                int c = s == 0 ? (i % 5 < 3 ? 0 : i % 5 - 2) : i % 3;
                labels[s][i] = c;
                splits[s][i] = new float[] {centres[c][0] + (float) (0.3 * rnd.nextGaussian()),
                        centres[c][1] + (float) (0.3 * rnd.nextGaussian())};
            }
        }
        ProbeReport r = LinearProbe.sweep(splits[0], labels[0], splits[1], labels[1], splits[2],
                labels[2], 3, List.of(1e-4, 1e-2, 1e3));
        assertEquals(3, r.trials().size());
        // lambda = 1000 shrinks W to ~0: the unpenalised biases then always pick the majority
        // class 0 of the training split, right on a third of the balanced validation split
        assertEquals(1 / 3.0, r.trials().get(2).validationAccuracy(), 1e-15, r.trials().toString());
        assertEquals(1.0, r.trials().get(0).validationAccuracy());
        assertEquals(1.0, r.trials().get(1).validationAccuracy());
        assertEquals(1e-2, r.bestL2());                  // tie at 100%: the stronger of the two
        assertEquals(1.0, r.testTop1());
        // deterministic: a second fit is bit-identical
        LinearProbe a = LinearProbe.fit(splits[0], labels[0], 3, 1e-2);
        LinearProbe b = LinearProbe.fit(splits[0], labels[0], 3, 1e-2);
        assertEquals(a.weight(2, 1), b.weight(2, 1));
        assertEquals(a.iterations(), b.iterations());
    }
}
