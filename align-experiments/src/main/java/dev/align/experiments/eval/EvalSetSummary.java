package dev.align.experiments.eval;

import java.util.List;

/**
 * The evaluation set an experiment chose, written as {@code eval-set.json}.
 *
 * @param zeroShot the ImageFolder of the chosen classes
 * @param retrieval the retrieval shards (one OpenMoji drawing and its caption per chosen class)
 * @param templates the prompt templates
 * @param classes the chosen classes, in folder order
 * @param headClasses of those, classes of head concepts
 * @param tailClasses the others
 * @param images images in the ImageFolder
 * @param retrievalPairs pairs in the retrieval shards
 * @param chanceTop1 top-1 accuracy of a uniform guess, {@code 1 / classes}
 * @param chanceTop5 top-5 accuracy of a uniform guess, {@code min(5, classes) / classes}
 */
public record EvalSetSummary(String zeroShot, String retrieval, List<String> templates,
        List<EvalClass> classes, int headClasses, int tailClasses, int images, int retrievalPairs,
        double chanceTop1, double chanceTop5) {

    /** Copies the lists. */
    public EvalSetSummary {
        templates = List.copyOf(templates);
        classes = List.copyOf(classes);
    }
}
