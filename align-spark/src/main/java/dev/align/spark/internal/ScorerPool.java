package dev.align.spark.internal;

import dev.align.curation.dfn.DfnScorer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * DFN scorers shared by the tasks of one executor JVM: a task borrows a loaded scorer (or loads
 * one if all are busy) and gives it back when done, so a model is loaded at most once per task
 * slot of the JVM, not once per partition, and tasks running side by side do not queue on one
 * scorer's lock. Scorers live as long as the JVM (an executor's lifetime).
 */
public final class ScorerPool {

    private static final Map<String, ConcurrentLinkedDeque<DfnScorer>> IDLE =
            new ConcurrentHashMap<>();

    private ScorerPool() {}

    /**
     * @param modelDir the model folder (with its tokenizer.json), as this JVM sees it
     * @param batchSize rows per forward pass
     * @return an idle scorer for that model and batch size, loaded if none is idle
     */
    public static DfnScorer borrow(String modelDir, int batchSize) {
        DfnScorer scorer = IDLE.computeIfAbsent(key(modelDir, batchSize),
                k -> new ConcurrentLinkedDeque<>()).pollFirst();
        if (scorer != null) {
            return scorer;
        }
        try {
            return DfnScorer.load(Path.of(modelDir), batchSize);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the DFN model folder " + modelDir
                    + " on this executor (it must be on a shared file system or shipped with "
                    + "--archives)", e);
        }
    }

    /**
     * Gives a scorer back for the next task.
     *
     * @param modelDir as borrowed
     * @param scorer the scorer
     */
    public static void giveBack(String modelDir, DfnScorer scorer) {
        IDLE.computeIfAbsent(key(modelDir, scorer.batchSize()), k -> new ConcurrentLinkedDeque<>())
                .addFirst(scorer);
    }

    private static String key(String modelDir, int batchSize) {
        return batchSize + "@" + Path.of(modelDir).toAbsolutePath().normalize();
    }
}
