package dev.align.eval.retrieval;

import java.util.List;
import java.util.Map;

/**
 * The result of a retrieval evaluation.
 *
 * @param dataset the data set's name
 * @param images images retrieved over (embedded successfully)
 * @param texts captions retrieved over
 * @param skipped samples that were skipped (unreadable shard members, undecodable images)
 * @param skippedByReason skipped samples by reason
 * @param recalls recall at each cut-off, ascending {@code k}
 * @param meanRecallAt1 the mean of both directions' recall@1 (DataComp's main retrieval number)
 */
public record RetrievalReport(String dataset, int images, int texts, long skipped,
        Map<String, Long> skippedByReason, List<RecallAtK> recalls, double meanRecallAt1) {}
