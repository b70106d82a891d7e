package dev.align.experiments.curation;

import dev.align.core.Checks;
import dev.align.train.StopRequest;
import dev.align.train.TrainingStoppedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The experiment's jobs (the filter network's run, curations, every arm's training runs) on a
 * fixed number of threads. A job starts once every job it waits for has finished; among the jobs
 * that could start, the one added first starts first, so one thread runs them in the order they
 * were added, as a plain loop would. What a job computes must not depend on which thread runs it
 * or what runs beside it; each job records its own result.
 *
 * <p><b>Stops and failures.</b> Before a job starts, the stop request is checked: once it is made,
 * no job starts, the jobs in progress end (a training run after its step, with a checkpoint) and
 * {@link #run} throws {@link TrainingStoppedException}. A job that fails makes the request itself,
 * so the runs beside it checkpoint and stop too, and {@link #run} then throws the first failure
 * (the others attached as suppressed).
 */
final class Jobs {

    /** What a job does. */
    @FunctionalInterface
    interface Work {
        void run() throws IOException;
    }

    /** A job, and the state {@link Jobs} keeps of it. */
    static final class Job {
        private final String name;
        private final List<Job> after;
        private final Work work;
        private State state = State.WAITING;
        private Throwable error;

        private Job(String name, List<Job> after, Work work) {
            this.name = name;
            this.after = after;
            this.work = work;
        }

        /** The job's name, for messages ({@code "dfn seed 1"}). */
        String name() {
            return name;
        }
    }

    private enum State { WAITING, RUNNING, DONE, FAILED }

    private final int threads;
    private final StopRequest stop;
    private final Runnable threadStart;
    private final List<Job> jobs = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();
    private int running;

    /**
     * @param threads jobs at once; with 1 they run on the calling thread
     * @param stop checked before each job starts, and made when a job fails (give the jobs'
     *     training runs this request too)
     * @param threadStart runs first on each thread {@link #run} starts (not on the caller's)
     */
    Jobs(int threads, StopRequest stop, Runnable threadStart) {
        Checks.checkArgument(threads >= 1, "threads must be >= 1, got %s", threads);
        this.threads = threads;
        this.stop = stop;
        this.threadStart = threadStart;
    }

    /**
     * Adds a job.
     *
     * @param name what it is, for messages
     * @param after jobs it waits for (added before it; {@code null} entries are ignored)
     * @param work what it does
     */
    synchronized Job add(String name, List<Job> after, Work work) {
        List<Job> deps = new ArrayList<>();
        for (Job j : after) {
            if (j != null) {
                Checks.checkArgument(jobs.contains(j), "job %s waits for %s, which was not added "
                        + "before it", name, j.name);
                deps.add(j);
            }
        }
        Job job = new Job(name, List.copyOf(deps), work);
        jobs.add(job);
        return job;
    }

    /**
     * Runs every job and returns when all have finished.
     *
     * @throws TrainingStoppedException if the stop request was made: no job started after it,
     *     and the training runs in progress wrote checkpoints
     * @throws IOException (or any other exception) the first job failure
     */
    void run() throws IOException {
        if (threads == 1) {
            work();
        } else {
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < Math.min(threads, jobs.size()); i++) {
                Thread t = new Thread(() -> {
                    try {
                        threadStart.run();
                    } catch (Throwable e) {
                        synchronized (this) {
                            failures.add(e);
                            stop.request("a failure to start a job thread (" + e + ")");
                            notifyAll();
                        }
                        return;
                    }
                    work();
                }, "experiment-job-" + (i + 1));
                t.setDaemon(true);             // a second SIGTERM ends the JVM without waiting
                workers.add(t);
                t.start();
            }
            boolean interrupted = false;
            for (Thread t : workers) {
                while (t.isAlive()) {
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        interrupted = true;
                        stop.request("an interrupt");
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        finish();
    }

    /** One thread's loop: take the first job that can start, run it, repeat. */
    private void work() {
        while (true) {
            Job job;
            synchronized (this) {
                while (true) {
                    if (stop.isRequested()) {
                        return;
                    }
                    job = nextReady();
                    if (job != null) {
                        job.state = State.RUNNING;
                        running++;
                        break;
                    }
                    if (running == 0) {
                        return;                   // nothing left that could start
                    }
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        stop.request("an interrupt");
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            Throwable error = null;
            try {
                job.work.run();
            } catch (Throwable t) {
                error = t;
            }
            synchronized (this) {
                running--;
                job.state = error == null ? State.DONE : State.FAILED;
                job.error = error;
                if (error != null && !(error instanceof TrainingStoppedException)) {
                    failures.add(error);
                    stop.request("the failure of " + job.name + " (" + error + ")");
                }
                notifyAll();
            }
        }
    }

    private Job nextReady() {
        for (Job j : jobs) {
            if (j.state == State.WAITING && j.after.stream().allMatch(d -> d.state == State.DONE)) {
                return j;
            }
        }
        return null;
    }

    /** After every thread ended: the first failure, or the stop, or nothing (all done). */
    private synchronized void finish() throws IOException {
        if (!failures.isEmpty()) {
            Throwable first = failures.get(0);
            for (Throwable t : failures.subList(1, failures.size())) {
                first.addSuppressed(t);
            }
            if (first instanceof IOException e) {
                throw e;
            }
            if (first instanceof RuntimeException e) {
                throw e;
            }
            if (first instanceof Error e) {
                throw e;
            }
            throw new UncheckedIOException(new IOException(first));
        }
        List<Job> stopped = new ArrayList<>();
        for (Job j : jobs) {
            if (j.state == State.FAILED && j.error instanceof TrainingStoppedException s
                    && s.checkpoint() != null) {
                stopped.add(j);
            }
        }
        boolean unfinished = jobs.stream().anyMatch(j -> j.state != State.DONE);
        if (!unfinished) {
            return;
        }
        Checks.checkState(stop.isRequested(), "jobs were left waiting for jobs that never "
                + "finished: %s", jobs.stream().filter(j -> j.state == State.WAITING)
                .map(j -> j.name).toList());
        if (stopped.isEmpty()) {
            throw new TrainingStoppedException(0, null, stop.reason(),
                    "run the same command again to resume the experiment");
        }
        TrainingStoppedException first = (TrainingStoppedException) stopped.get(0).error;
        if (stopped.size() == 1) {
            throw first;
        }
        List<String> each = new ArrayList<>();
        for (Job j : stopped) {
            TrainingStoppedException s = (TrainingStoppedException) j.error;
            each.add(String.format("%s at step %d (%s)", j.name, s.step(), s.checkpoint()));
        }
        TrainingStoppedException all = new TrainingStoppedException(first.step(),
                first.checkpoint(), stop.reason(), "run the same command again to resume the "
                + "experiment; each run in progress continues from its checkpoint: "
                + String.join(", ", each));
        for (Job j : stopped.subList(1, stopped.size())) {
            all.addSuppressed(j.error);
        }
        throw all;
    }
}
