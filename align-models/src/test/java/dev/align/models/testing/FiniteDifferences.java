package dev.align.models.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import java.util.function.DoubleSupplier;

/** Central-difference gradient checks in float64, the honest way to test a backward pass. */
public final class FiniteDifferences {

    private FiniteDifferences() {}

    /**
     * Checks {@code analytic} against {@code (f(x + h) - f(x - h)) / 2h} for every element of the
     * float64 array {@code x}, perturbed in place and restored.
     *
     * @param loss evaluates the scalar function at the current value of {@code x}
     * @param relTol tolerance relative to {@code max(1, |gradient|)}
     */
    public static void check(String name, NDArray x, double[] analytic, DoubleSupplier loss,
            double h, double relTol) {
        x.setRequiresGradient(false);                   // in-place writes to a grad leaf fail
        double[] values = x.toDoubleArray();
        assertEquals(values.length, analytic.length, name + ": gradient size");
        for (int i = 0; i < values.length; i++) {
            double orig = values[i];
            values[i] = orig + h;
            x.set(values);
            double up = loss.getAsDouble();
            values[i] = orig - h;
            x.set(values);
            double down = loss.getAsDouble();
            values[i] = orig;
            double numeric = (up - down) / (2 * h);
            double tol = relTol * Math.max(1, Math.abs(numeric));
            assertEquals(numeric, analytic[i], tol, name + "[" + i + "]");
        }
        x.set(values);
    }
}
