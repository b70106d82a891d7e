package dev.align.train;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A request, from any thread, that a training run stop at the next step boundary: the
 * {@link Trainer} finishes the step in progress, writes a checkpoint and throws
 * {@link TrainingStoppedException}. This is how a run honours the SIGTERM that schedulers and
 * preemptible clouds send before they kill it ({@code ./align train} and
 * {@code ./align experiment} wire the signal to it). A request cannot be withdrawn.
 */
public final class StopRequest {

    private volatile String reason;
    private final AtomicInteger watchers = new AtomicInteger();

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

    /**
     * Whether a training run is in its steps and checks this request after each one: a request
     * made now is honoured within a step. When nothing watches (the run has not reached its first
     * step, or the program is doing something else), a signal handler should end the program
     * itself.
     */
    public boolean isWatched() {
        return watchers.get() > 0;
    }

    /** A run starts checking this request after its steps. */
    void watch() {
        watchers.incrementAndGet();
    }

    /** The run no longer checks it. */
    void unwatch() {
        watchers.decrementAndGet();
    }
}
