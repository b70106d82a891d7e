package dev.align.spark;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.TaskContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * A Spark plugin ({@code spark.plugins}) that makes the first attempt of every task of partition
 * {@value #PARTITION} fail, in every stage of every job while {@link #arm armed}: the task runs
 * all its work, side effects included (files written, blocks cached), and then fails with an
 * exception thrown by a task-completion listener, so Spark discards its output and retries it.
 * Tasks must then be idempotent and the job's result must not depend on the failure. In local mode
 * the executor is the test's JVM, so the switch and the count are plain statics.
 */
public final class FailFirstAttempts implements SparkPlugin {

    /** The partition whose tasks fail on their first attempt. */
    static final int PARTITION = 1;
    private static final AtomicBoolean ARMED = new AtomicBoolean();
    private static final Set<String> FAILED = ConcurrentHashMap.newKeySet();

    /** Starts failing first attempts. */
    static void arm() {
        FAILED.clear();
        ARMED.set(true);
    }

    /** Stops failing; returns the stages (as "stage/partition") whose task was failed. */
    static Set<String> disarm() {
        ARMED.set(false);
        return Set.copyOf(FAILED);
    }

    @Override
    public DriverPlugin driverPlugin() {
        return null;
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            @Override
            public void init(PluginContext ctx, Map<String, String> extraConf) {
            }

            @Override
            public void onTaskStart() {
                TaskContext task = TaskContext.get();
                if (ARMED.get() && task != null && task.attemptNumber() == 0
                        && task.partitionId() == PARTITION) {
                    String what = task.stageId() + "/" + task.partitionId();
                    task.addTaskCompletionListener((TaskContext done) -> {
                        FAILED.add(what);
                        throw new IllegalStateException("injected failure of the first attempt "
                                + "of stage " + task.stageId() + ", partition " + PARTITION);
                    });
                }
            }
        };
    }
}
