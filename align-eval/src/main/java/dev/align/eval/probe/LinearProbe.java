package dev.align.eval.probe;

import static dev.align.core.Checks.checkArgument;

import java.util.ArrayList;
import java.util.List;

/**
 * A linear probe: multinomial logistic regression on frozen embeddings, as in the CLIP paper's
 * linear-probe evaluation (there with scikit-learn's L-BFGS logistic regression and an L2 sweep
 * on a validation split). The fit minimises
 *
 * <pre>
 *   f(W, b) = (1/N) sum_n [ logsumexp_c(z_nc) - z_n,y_n ] + (lambda / 2) ||W||^2,
 *   z_nc = W_c . x_n + b_c
 * </pre>
 *
 * (biases not penalised) from zero with {@link Lbfgs} in double precision, so a fit is
 * deterministic. Prediction ties go to the lowest class index. Immutable and thread-safe; cost
 * per objective evaluation {@code O(N C D)}.
 */
public final class LinearProbe {

    /** L-BFGS settings of every fit: memory 10, at most 1,000 iterations, gradient 1e-6. */
    private static final Lbfgs OPTIMIZER = new Lbfgs(10, 1000, 1e-6);

    private final int classes;
    private final int dim;
    private final double[] params; // [C * (D + 1)]: row c = (W_c, b_c)
    private final int iterations;

    private LinearProbe(int classes, int dim, double[] params, int iterations) {
        this.classes = classes;
        this.dim = dim;
        this.params = params;
        this.iterations = iterations;
    }

    /**
     * Fits a probe.
     *
     * @param x {@code [N][D]} features
     * @param y {@code [N]} labels in {@code [0, classes)}
     * @param l2 {@code lambda >= 0}
     */
    public static LinearProbe fit(float[][] x, int[] y, int classes, double l2) {
        check(x, y, classes);
        checkArgument(l2 >= 0 && Double.isFinite(l2), "l2 must be finite and >= 0, got %s", l2);
        int d = x[0].length;
        Lbfgs.Result r = OPTIMIZER.minimize((w, g) -> objective(x, y, classes, l2, w, g),
                new double[classes * (d + 1)]);
        return new LinearProbe(classes, d, r.x(), r.iterations());
    }

    /**
     * Sweeps {@code l2s}: fits on the training split, scores top-1 on the validation split, keeps
     * the strength with the best validation accuracy (ties: the larger strength, the simpler
     * model) and reports that probe's top-1 on the test split.
     */
    public static ProbeReport sweep(float[][] trainX, int[] trainY, float[][] valX, int[] valY,
            float[][] testX, int[] testY, int classes, List<Double> l2s) {
        checkArgument(l2s != null && !l2s.isEmpty(), "no L2 strengths to sweep");
        check(valX, valY, classes);
        check(testX, testY, classes);
        List<L2Trial> trials = new ArrayList<>();
        LinearProbe best = null;
        double bestL2 = Double.NaN;
        double bestVal = -1;
        for (double l2 : l2s) {
            LinearProbe p = fit(trainX, trainY, classes, l2);
            double val = p.accuracy(valX, valY);
            trials.add(new L2Trial(l2, p.accuracy(trainX, trainY), val, p.iterations));
            if (val > bestVal || (val == bestVal && l2 > bestL2)) {
                best = p;
                bestL2 = l2;
                bestVal = val;
            }
        }
        return new ProbeReport(List.copyOf(trials), bestL2, best.accuracy(testX, testY), best);
    }

    /** {@code lambda} values {@code 10^lo .. 10^hi}, {@code count} log-spaced (CLIP: 1e-6..1e6). */
    public static List<Double> logSpace(double lo, double hi, int count) {
        checkArgument(count >= 1 && lo <= hi, "need count >= 1 and lo <= hi");
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(Math.pow(10, count == 1 ? lo : lo + (hi - lo) * i / (count - 1)));
        }
        return out;
    }

    /**
     * The objective {@code f} at {@code w} (layout: row {@code c} of {@code D + 1} values is
     * {@code (W_c, b_c)}), writing its gradient into {@code grad}.
     */
    static double objective(float[][] x, int[] y, int classes, double l2, double[] w,
            double[] grad) {
        int n = x.length;
        int d = x[0].length;
        int stride = d + 1;
        java.util.Arrays.fill(grad, 0);
        double[] z = new double[classes];
        double loss = 0;
        for (int i = 0; i < n; i++) {
            float[] xi = x[i];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                int o = c * stride;
                double s = w[o + d];
                for (int j = 0; j < d; j++) {
                    s += w[o + j] * xi[j];
                }
                z[c] = s;
                max = Math.max(max, s);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(z[c] - max);
            }
            double lse = max + Math.log(sum);
            loss += lse - z[y[i]];
            for (int c = 0; c < classes; c++) {
                double r = (Math.exp(z[c] - lse) - (c == y[i] ? 1 : 0)) / n;   // dL/dz_c
                int o = c * stride;
                for (int j = 0; j < d; j++) {
                    grad[o + j] += r * xi[j];
                }
                grad[o + d] += r;
            }
        }
        double penalty = 0;
        for (int c = 0; c < classes; c++) {
            int o = c * stride;
            for (int j = 0; j < d; j++) {
                penalty += w[o + j] * w[o + j];
                grad[o + j] += l2 * w[o + j];
            }
        }
        return loss / n + 0.5 * l2 * penalty;
    }

    /** The {@code C} logits of a feature vector. */
    public double[] logits(float[] x) {
        checkArgument(x.length == dim, "features have %s values, the probe %s", x.length, dim);
        double[] z = new double[classes];
        for (int c = 0; c < classes; c++) {
            int o = c * (dim + 1);
            double s = params[o + dim];
            for (int j = 0; j < dim; j++) {
                s += params[o + j] * x[j];
            }
            z[c] = s;
        }
        return z;
    }

    /** The predicted class (ties: the lowest index). */
    public int predict(float[] x) {
        double[] z = logits(x);
        int best = 0;
        for (int c = 1; c < z.length; c++) {
            if (z[c] > z[best]) {
                best = c;
            }
        }
        return best;
    }

    /** Top-1 accuracy on a labelled set. */
    public double accuracy(float[][] x, int[] y) {
        checkArgument(x.length == y.length && x.length > 0, "need as many labels as rows, >= 1");
        int correct = 0;
        for (int i = 0; i < x.length; i++) {
            if (predict(x[i]) == y[i]) {
                correct++;
            }
        }
        return correct / (double) x.length;
    }

    /** Weight {@code W[c][j]}. */
    public double weight(int c, int j) {
        return params[c * (dim + 1) + j];
    }

    /** Bias {@code b[c]}. */
    public double bias(int c) {
        return params[c * (dim + 1) + dim];
    }

    /** L-BFGS iterations the fit took. */
    public int iterations() {
        return iterations;
    }

    private static void check(float[][] x, int[] y, int classes) {
        checkArgument(classes >= 2, "a probe needs >= 2 classes, got %s", classes);
        checkArgument(x != null && y != null && x.length == y.length && x.length > 0,
                "need as many labels as feature rows, at least one");
        for (int i = 0; i < x.length; i++) {
            checkArgument(x[i].length == x[0].length, "row %s has %s features, row 0 %s", i,
                    x[i].length, x[0].length);
            checkArgument(y[i] >= 0 && y[i] < classes, "label %s of row %s is outside [0, %s)",
                    y[i], i, classes);
        }
    }
}
