package dev.align.eval.zeroshot;

import dev.align.eval.embed.EmbeddingFailure;
import java.util.List;
import java.util.Map;

/**
 * The result of a zero-shot evaluation on one image folder. Accuracies count evaluated images
 * only: images that could not be read are skipped and counted, not scored as wrong.
 *
 * @param dataset the data set's name (the folder's name unless given)
 * @param classes number of classes {@code C}
 * @param templates number of prompt templates per class
 * @param images images listed in the folder
 * @param evaluated images embedded and classified
 * @param skipped images that could not be read or decoded
 * @param skippedByReason skipped images by reason ({@code corrupt_image}, ...)
 * @param top1 fraction of evaluated images whose best class is right
 * @param top5k the {@code k} of {@link #top5}: {@code min(5, C)}
 * @param top5 fraction of evaluated images whose right class is among the best {@code top5k}
 * @param meanPerClassAccuracy mean of the per-class accuracies over classes with evaluated
 *     images (balanced accuracy)
 * @param perClass per-class results in class order
 * @param failures every skipped image with its reason
 */
public record ZeroShotReport(String dataset, int classes, int templates, int images,
        int evaluated, int skipped, Map<String, Long> skippedByReason, double top1, int top5k,
        double top5, double meanPerClassAccuracy, List<ClassAccuracy> perClass,
        List<EmbeddingFailure> failures) {}
