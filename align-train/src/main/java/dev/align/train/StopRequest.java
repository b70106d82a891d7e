package dev.align.train;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A request, from any thread, that a training run stop at the next step boundary: the
 * {@link Trainer} finishes the step in progress, writes a checkpoint and throws
 * {@link TrainingStoppedException}. This is how a run honours the SIGTERM that schedulers and
 * preemptible clouds send before they kill it ({@code ./align train} and
 * {@code ./align experiment} wire the signal to it). A request cannot be withdrawn.
 *
 * <p>A program that trains several runs at once and must stop them all when one fails gives the
 * runs a {@link #linked()} request: made by the signal (through this one) or by the program.
 */
public final class StopRequest {

    private volatile String reason;
    private final AtomicInteger watchers = new AtomicInteger();
    private final StopRequest parent;

    /** A request nothing has made yet. */
    public StopRequest() {
        this(null);
    }

    private StopRequest(StopRequest parent) {
        this.parent = parent;
    }

    /**
     * A new request that counts as made when this one is made (or when it is made itself), and
     * whose watchers count as this one's: a signal handler that holds this request sees the runs
     * that watch the linked one. Making the linked request does not make this one.
     */
    public StopRequest linked() {
        return new StopRequest(this);
    }

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

    /** Whether a stop was requested, of this request or of the one it is linked to. */
    public boolean isRequested() {
        return reason != null || parent != null && parent.isRequested();
    }

    /**
     * What asked for the stop (this request's own reason first, else the one it is linked to), or
     * {@code null} if nothing did.
     */
    public String reason() {
        String own = reason;
        return own != null || parent == null ? own : parent.reason();
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
        if (parent != null) {
            parent.watch();
        }
    }

    /** The run no longer checks it. */
    void unwatch() {
        watchers.decrementAndGet();
        if (parent != null) {
            parent.unwatch();
        }
    }
}
