package dev.align.eval.probe;

import static dev.align.core.Checks.checkArgument;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Limited-memory BFGS (Nocedal and Wright, <i>Numerical Optimization</i>, algorithms 7.4 and
 * 7.5) for smooth unconstrained minimisation, with a backtracking Armijo line search. Plain
 * sequential double arithmetic, so the same problem always gives the same iterates.
 */
public final class Lbfgs {

    /** A smooth function: returns {@code f(x)} and writes {@code grad f(x)} into {@code grad}. */
    @FunctionalInterface
    public interface Objective {
        /** {@code f(x)}; writes the gradient into {@code grad} (same length as {@code x}). */
        double evaluate(double[] x, double[] grad);
    }

    /**
     * The end of a minimisation.
     *
     * @param x the last iterate
     * @param value {@code f(x)}
     * @param gradientNorm {@code max |grad f(x)|}
     * @param iterations iterations taken
     * @param converged whether the gradient tolerance was reached
     */
    public record Result(double[] x, double value, double gradientNorm, int iterations,
            boolean converged) {}

    private final int memory;
    private final int maxIterations;
    private final double gradientTolerance;

    /**
     * @param memory correction pairs kept ({@code m}, typically 10)
     * @param maxIterations iteration limit
     * @param gradientTolerance stop when {@code max |grad| <= gradientTolerance}
     */
    public Lbfgs(int memory, int maxIterations, double gradientTolerance) {
        checkArgument(memory >= 1, "memory must be >= 1, got %s", memory);
        checkArgument(maxIterations >= 1, "maxIterations must be >= 1, got %s", maxIterations);
        checkArgument(gradientTolerance >= 0, "gradientTolerance must be >= 0, got %s",
                gradientTolerance);
        this.memory = memory;
        this.maxIterations = maxIterations;
        this.gradientTolerance = gradientTolerance;
    }

    /** Minimises {@code f} from {@code x0} (not modified). */
    public Result minimize(Objective f, double[] x0) {
        int n = x0.length;
        double[] x = x0.clone();
        double[] g = new double[n];
        double fx = f.evaluate(x, g);
        checkArgument(Double.isFinite(fx), "the objective is %s at the start", fx);
        Deque<double[]> sList = new ArrayDeque<>();
        Deque<double[]> yList = new ArrayDeque<>();
        Deque<Double> rhoList = new ArrayDeque<>();
        double[] xNew = new double[n];
        double[] gNew = new double[n];
        int iter = 0;
        while (iter < maxIterations) {
            double gNorm = maxAbs(g);
            if (gNorm <= gradientTolerance) {
                return new Result(x, fx, gNorm, iter, true);
            }
            double[] d = direction(g, sList, yList, rhoList);
            double slope = dot(g, d);
            if (slope >= 0) {                       // not a descent direction: restart
                sList.clear();
                yList.clear();
                rhoList.clear();
                for (int i = 0; i < n; i++) {
                    d[i] = -g[i];
                }
                slope = dot(g, d);
            }
            double step = sList.isEmpty() ? Math.min(1.0, 1.0 / Math.sqrt(dot(g, g))) : 1.0;
            double fNew;
            int backtracks = 0;
            while (true) {
                for (int i = 0; i < n; i++) {
                    xNew[i] = x[i] + step * d[i];
                }
                fNew = f.evaluate(xNew, gNew);
                if (Double.isFinite(fNew) && fNew <= fx + 1e-4 * step * slope) {
                    break;
                }
                step *= 0.5;
                if (++backtracks > 60) {            // no decrease possible at double precision
                    return new Result(x, fx, gNorm, iter, false);
                }
            }
            double[] s = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = xNew[i] - x[i];
                y[i] = gNew[i] - g[i];
            }
            double sy = dot(s, y);
            if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {   // keep the update positive definite
                sList.addLast(s);
                yList.addLast(y);
                rhoList.addLast(1 / sy);
                if (sList.size() > memory) {
                    sList.removeFirst();
                    yList.removeFirst();
                    rhoList.removeFirst();
                }
            }
            System.arraycopy(xNew, 0, x, 0, n);
            System.arraycopy(gNew, 0, g, 0, n);
            double previous = fx;
            fx = fNew;
            iter++;
            if (previous - fx <= 1e-15 * Math.max(1, Math.abs(fx))) {
                double gn = maxAbs(g);
                return new Result(x, fx, gn, iter, gn <= gradientTolerance);
            }
        }
        double gn = maxAbs(g);
        return new Result(x, fx, gn, iter, gn <= gradientTolerance);
    }

    /** The two-loop recursion: {@code -H g} with {@code H} the L-BFGS inverse Hessian estimate. */
    private static double[] direction(double[] g, Deque<double[]> sList, Deque<double[]> yList,
            Deque<Double> rhoList) {
        int m = sList.size();
        double[] q = g.clone();
        double[] alpha = new double[m];
        double[][] s = sList.toArray(double[][]::new);
        double[][] y = yList.toArray(double[][]::new);
        Double[] rho = rhoList.toArray(Double[]::new);
        for (int i = m - 1; i >= 0; i--) {
            alpha[i] = rho[i] * dot(s[i], q);
            axpy(-alpha[i], y[i], q);
        }
        if (m > 0) {
            double gamma = dot(s[m - 1], y[m - 1]) / dot(y[m - 1], y[m - 1]);
            for (int i = 0; i < q.length; i++) {
                q[i] *= gamma;
            }
        }
        for (int i = 0; i < m; i++) {
            double beta = rho[i] * dot(y[i], q);
            axpy(alpha[i] - beta, s[i], q);
        }
        for (int i = 0; i < q.length; i++) {
            q[i] = -q[i];
        }
        return q;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
