package dev.align.train.metrics;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on stderr: step, loss, samples/s, ETA and the latest evaluation's
 * headline numbers. On a terminal it redraws in place; otherwise (CI, a log file) it prints a
 * line every {@code everySteps} steps. Each evaluation also gets a line of its own.
 */
public final class ProgressBar {

    private final PrintStream err;
    private final long totalSteps;
    private final boolean terminal;
    private final long everySteps;
    private String evaluation = "";

    /** A bar for a run of {@code totalSteps} steps. */
    public ProgressBar(PrintStream err, long totalSteps) {
        this.err = err;
        this.totalSteps = totalSteps;
        this.terminal = System.console() != null;
        this.everySteps = Math.max(1, totalSteps / 20);
    }

    /** Shows the state after {@code m}; {@code etaSeconds} for the remaining steps. */
    public void update(StepMetrics m, double etaSeconds) {
        if (!terminal && m.step() % everySteps != 0 && m.step() != totalSteps) {
            return;
        }
        int width = 24;
        int done = (int) (width * m.step() / Math.max(1, totalSteps));
        String bar = "#".repeat(done) + ".".repeat(width - done);
        String line = String.format(Locale.ROOT, "[%s] step %d/%d  loss %.4f  %.1f samples/s  ETA %s%s",
                bar, m.step(), totalSteps, m.loss(), m.samplesPerSecond(), formatSeconds(etaSeconds),
                evaluation);
        if (terminal) {
            err.print("\r" + line + (m.step() == totalSteps ? "\n" : ""));
        } else {
            err.println(line);
        }
        err.flush();
    }

    /**
     * Prints an evaluation's summary on a line of its own and shows it at the end of the bar
     * from now on.
     *
     * @param step steps completed when the model was evaluated
     * @param summary the headline numbers, such as {@code "openmoji top-1 12.3%"}
     */
    public void evaluated(long step, String summary) {
        evaluation = "  [eval@" + step + ": " + summary + "]";
        err.println((terminal ? "\n" : "") + "eval at step " + step + ": " + summary);
        err.flush();
    }

    static String formatSeconds(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
