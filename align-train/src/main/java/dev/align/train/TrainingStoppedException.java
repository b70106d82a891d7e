package dev.align.train;

import java.nio.file.Path;

/**
 * The run stopped early because a {@link StopRequest} asked it to (SIGTERM): the step in progress
 * finished and its checkpoint was written, so {@code --resume} continues exactly where it stopped.
 * {@code ./align train} exits with {@link #EXIT_STATUS} for it.
 */
public final class TrainingStoppedException extends RuntimeException {

    /**
     * The exit status of {@code ./align train} after a clean stop: 75, {@code EX_TEMPFAIL} of
     * {@code sysexits.h} ("try again later"), distinct from success (0), errors (1-3) and a kill
     * by signal (128 + n).
     */
    public static final int EXIT_STATUS = 75;

    private static final long serialVersionUID = 1L;
    private final long step;
    private final transient Path checkpoint;

    /**
     * @param step steps completed
     * @param checkpoint the checkpoint written for that step
     * @param reason what asked the run to stop
     */
    public TrainingStoppedException(long step, Path checkpoint, String reason) {
        this(step, checkpoint, reason, "continue with --resume");
    }

    /**
     * For a caller that runs several stages (an experiment) and resumes differently.
     *
     * @param step steps completed by the run that stopped
     * @param checkpoint the checkpoint written for that step, or {@code null} when the stop came
     *     between stages (no run in progress, nothing lost)
     * @param reason what asked for the stop
     * @param howToContinue the end of the message (for example {@code "run the same command
     *     again"})
     */
    public TrainingStoppedException(long step, Path checkpoint, String reason,
            String howToContinue) {
        super(checkpoint != null
                ? String.format("training stopped after step %d on %s; checkpoint %s is written: %s",
                        step, reason, checkpoint, howToContinue)
                : String.format("stopped on %s between stages, nothing in progress: %s", reason,
                        howToContinue));
        this.step = step;
        this.checkpoint = checkpoint;
    }

    /** Steps completed when the run stopped. */
    public long step() {
        return step;
    }

    /** The checkpoint written for {@link #step()}, or {@code null} for a stop between stages. */
    public Path checkpoint() {
        return checkpoint;
    }
}
