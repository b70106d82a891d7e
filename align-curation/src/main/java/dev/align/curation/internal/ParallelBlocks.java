package dev.align.curation.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs {@code body(i)} for every {@code i} in {@code [0, n)} on a few threads, handing out blocks
 * of indices, each thread with its own scratch state. Results written by index do not depend on
 * the thread count; the first failure stops the others and is rethrown.
 */
public final class ParallelBlocks {

    /** The work for one index, with the calling thread's scratch state. */
    @FunctionalInterface
    public interface Body<S> {
        /** Processes index {@code i}. */
        void apply(int i, S scratch);
    }

    private ParallelBlocks() {}

    /**
     * @param threads worker threads; 1 runs on the calling thread
     * @param name prefix of the worker threads' names
     */
    public static <S> void forEach(int n, int block, int threads, String name, Supplier<S> scratch,
            Body<S> body) {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            S s = scratch.get();
            try {
                for (int lo; (lo = next.getAndAdd(block)) < n && failure.get() == null; ) {
                    for (int i = lo, hi = Math.min(n, lo + block); i < hi; i++) {
                        body.apply(i, s);
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
        if (threads == 1) {
            worker.run();
        } else {
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread th = new Thread(worker, name + "-" + t);
                th.start();
                workers.add(th);
            }
            for (Thread th : workers) {
                try {
                    th.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while running " + name, e);
                }
            }
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        } else if (t instanceof Error err) {
            throw err;
        } else if (t != null) {
            throw new IllegalStateException(t);
        }
    }
}
