package dev.align.experiments.curation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.train.StopRequest;
import dev.align.train.TrainingStoppedException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JobsTest {

    private static final Runnable NOTHING = () -> { };

    @Test
    void oneThreadRunsTheJobsInTheOrderAddedOnTheCallersThread() throws IOException {
        List<String> order = new ArrayList<>();
        Thread caller = Thread.currentThread();
        Jobs jobs = new Jobs(1, new StopRequest(), () -> order.add("thread start"));
        Jobs.Job a = jobs.add("a", List.of(), () -> order.add("a"));
        jobs.add("b", List.of(a), () -> order.add("b"));
        jobs.add("c", List.of(), () -> {
            assertSame(caller, Thread.currentThread());
            order.add("c");
        });
        jobs.run();
        assertEquals(List.of("a", "b", "c"), order);
    }

    /**
     * Two threads: jobs that wait for nothing run side by side (each waits at a barrier for the
     * other, which would time out if they ran one after the other); a job starts only after the
     * one it waits for has finished, and the earliest added job that can start goes first.
     */
    @Test
    void twoThreadsRunIndependentJobsAtOnceAndDependentOnesAfter() throws IOException {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        CyclicBarrier together = new CyclicBarrier(2);
        List<String> started = Collections.synchronizedList(new ArrayList<>());
        Jobs jobs = new Jobs(2, new StopRequest(), () -> started.add(Thread.currentThread()
                .getName()));
        Jobs.Job filter = jobs.add("filter", List.of(), () -> {
            await(together);
            events.add("filter done");
        });
        jobs.add("raw", List.of(), () -> {
            await(together);
            events.add("raw done");
        });
        jobs.add("dfn", List.of(filter), () -> events.add("dfn after " + List.copyOf(events)));
        jobs.run();
        assertEquals(2, started.size(), "threadStart ran on both threads");
        String dfn = events.stream().filter(e -> e.startsWith("dfn")).findFirst().orElseThrow();
        assertTrue(dfn.contains("filter done"), events.toString());
    }

    /**
     * A failing job stops the run beside it (it checkpoints, as a trainer given the same request
     * would), no later job starts, and the failure itself is thrown.
     */
    @Test
    void aFailureStopsTheOtherRunsAndIsThrown() {
        StopRequest stop = new StopRequest().linked();
        CountDownLatch training = new CountDownLatch(1);
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        Jobs jobs = new Jobs(2, stop, NOTHING);
        jobs.add("raw seed 0", List.of(), () -> fakeRun(stop, training, "raw", ran));
        jobs.add("align seed 0", List.of(), () -> {
            await(training);
            throw new IllegalStateException("boom");
        });
        jobs.add("metaclip seed 0", List.of(), () -> ran.add("metaclip"));
        IllegalStateException e = assertThrows(IllegalStateException.class, jobs::run);
        assertEquals("boom", e.getMessage());
        assertEquals(List.of("raw stopped at step 3"), ran, "metaclip never started");
        assertTrue(stop.reason().contains("align seed 0") && stop.reason().contains("boom"),
                stop.reason());
    }

    /**
     * A stop request while two runs train: both checkpoint, nothing else starts, and the
     * exception names both checkpoints (its own step and checkpoint are the first run's).
     */
    @Test
    void aStopCheckpointsEveryRunInProgress() {
        StopRequest signal = new StopRequest();
        StopRequest stop = signal.linked();
        CountDownLatch bothTraining = new CountDownLatch(2);
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        Jobs jobs = new Jobs(2, stop, NOTHING);
        jobs.add("raw seed 0", List.of(), () -> fakeRun(stop, bothTraining, "raw", ran));
        jobs.add("align seed 0", List.of(), () -> fakeRun(stop, bothTraining, "align", ran));
        jobs.add("metaclip seed 0", List.of(), () -> ran.add("metaclip"));
        Thread signaller = new Thread(() -> {
            await(bothTraining);
            signal.request("SIGTERM");
        });
        signaller.start();
        TrainingStoppedException e = assertThrows(TrainingStoppedException.class, jobs::run);
        assertEquals(3, e.step());
        assertEquals(Path.of("raw", "step-3"), e.checkpoint());
        assertTrue(e.getMessage().contains("on SIGTERM") && e.getMessage().contains(
                "raw seed 0 at step 3 (raw" + java.io.File.separator + "step-3), align seed 0 at "
                + "step 3"), e.getMessage());
        assertEquals(2, ran.size());
        assertFalse(ran.contains("metaclip"), ran.toString());
    }

    @Test
    void aStopBeforeAnyJobStartsNothing() {
        StopRequest stop = new StopRequest();
        stop.request("a test's request");
        List<String> ran = new ArrayList<>();
        Jobs jobs = new Jobs(2, stop, NOTHING);
        jobs.add("a", List.of(), () -> ran.add("a"));
        TrainingStoppedException e = assertThrows(TrainingStoppedException.class, jobs::run);
        assertNull(e.checkpoint());
        assertTrue(e.getMessage().contains("between stages"), e.getMessage());
        assertEquals(List.of(), ran);
    }

    @Test
    void rejectsAJobThatWaitsForOneOfAnotherList() {
        Jobs other = new Jobs(1, new StopRequest(), NOTHING);
        Jobs.Job foreign = other.add("filter", List.of(), () -> { });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Jobs(1, new StopRequest(), NOTHING).add("dfn", List.of(foreign),
                        () -> { }));
        assertTrue(e.getMessage().contains("dfn waits for filter"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Jobs(0, new StopRequest(),
                NOTHING));
    }

    /** A stand-in for a training run: steps until the request is made, then "checkpoints". */
    private static void fakeRun(StopRequest stop, CountDownLatch training, String name,
            List<String> ran) {
        training.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!stop.isRequested()) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " was never asked to stop");
            }
        }
        ran.add(name + " stopped at step 3");
        throw new TrainingStoppedException(3, Path.of(name, "step-3"), stop.reason(),
                "run the same command again to resume the experiment (" + name + ")");
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the other job never arrived: they did not run at once", e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS), "timed out");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
