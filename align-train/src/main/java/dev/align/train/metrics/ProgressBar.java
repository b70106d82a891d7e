package dev.align.train.metrics;

import dev.align.core.progress.ProgressLine;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The training run's progress on a {@link ProgressLine}: step, loss, samples/s, ETA and the
 * latest evaluation's headline numbers, redrawn in place on a terminal, a plain line every
 * twentieth of the run otherwise. Each evaluation also gets a line of its own.
 */
public final class ProgressBar {

    private final ProgressLine line;
    private final long totalSteps;
    private String evaluation = "";

    /** A bar for a run of {@code totalSteps} steps. */
    public ProgressBar(PrintStream err, long totalSteps) {
        this.line = ProgressLine.on(err, "step");
        this.totalSteps = totalSteps;
    }

    /** Shows the state after {@code m}; {@code etaSeconds} for the remaining steps. */
    public void update(StepMetrics m, double etaSeconds) {
        line.update(m.step(), totalSteps, String.format(Locale.ROOT,
                "loss %.4f  %.1f samples/s  ETA %s%s", m.loss(), m.samplesPerSecond(),
                ProgressLine.clock(etaSeconds), evaluation));
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
        line.println("eval at step " + step + ": " + summary);
    }
}
