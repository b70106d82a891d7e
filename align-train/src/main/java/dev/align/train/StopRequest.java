package dev.align.train;

/**
 * A request, from any thread, that a training run stop at the next step boundary: the
 * {@link Trainer} finishes the step in progress, writes a checkpoint and throws
 * {@link TrainingStoppedException}. This is how a run honours the SIGTERM that schedulers and
 * preemptible clouds send before they kill it ({@code ./align train} wires the signal to it). A
 * request cannot be withdrawn.
 */
public final class StopRequest {

    private volatile String reason;

    /**
     * Asks the run to stop after the step in progress. Thread-safe; only the first reason is kept.
     *
     * @param why what asked, for the message (for example {@code "SIGTERM"})
     */
    public synchronized void request(String why) {
        if (reason == null) {
            reason = why == null || why.isBlank() ? "a stop request" : why;
        }
    }

    /** Whether a stop was requested. */
    public boolean isRequested() {
        return reason != null;
    }

    /** What asked for the stop, or {@code null} if nothing did. */
    public String reason() {
        return reason;
    }
}
