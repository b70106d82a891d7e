package dev.align.train.eval;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One task's scores at one step, a line of {@code eval.jsonl}. Zero-shot lines carry
 * {@code classes}, {@code top1} and {@code top5}; retrieval lines carry {@code recallAt1},
 * {@code recallAt5} and {@code recallAt10}, each the mean of image-to-text and text-to-image.
 *
 * @param step steps completed when the model was evaluated
 * @param task {@code zero-shot} or {@code retrieval}
 * @param dataset the task's name
 * @param items images classified, or image-caption samples retrieved over
 * @param classes zero-shot: classes chosen among
 * @param top1 zero-shot: fraction whose best class is right
 * @param top5 zero-shot: fraction whose right class is among the best {@code min(5, classes)}
 * @param recallAt1 retrieval: recall at 1, mean of both directions
 * @param recallAt5 retrieval: recall at 5, mean of both directions
 * @param recallAt10 retrieval: recall at 10, mean of both directions
 * @param mean zero-shot: the mean of top-1 and top-5; retrieval: the mean of recall at 1, 5
 *     and 10 over both directions (the "mean recall" of retrieval papers, R-sum / 6)
 * @param seconds wall time of this task
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvalResult(long step, String task, String dataset, long items, Integer classes,
        Double top1, Double top5, Double recallAt1, Double recallAt5, Double recallAt10,
        double mean, double seconds) {

    /** The task name of zero-shot lines. */
    public static final String ZERO_SHOT = "zero-shot";
    /** The task name of retrieval lines. */
    public static final String RETRIEVAL = "retrieval";

    /** The headline number: top-1 for zero-shot, recall at 1 for retrieval. */
    public double headline() {
        return task.equals(ZERO_SHOT) ? top1 : recallAt1;
    }

    /** The headline's name, as {@code "openmoji top-1"}. */
    public String headlineName() {
        return dataset + (task.equals(ZERO_SHOT) ? " top-1" : " R@1");
    }
}
