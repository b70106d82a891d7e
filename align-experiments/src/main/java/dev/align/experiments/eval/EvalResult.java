package dev.align.experiments.eval;

/**
 * One trained model's evaluation.
 *
 * @param classes zero-shot classes {@code C}
 * @param all zero-shot over every image
 * @param head over images of head concepts
 * @param tail over the other images
 * @param imageToTextR1 retrieval recall@1, image to text
 * @param imageToTextR5 recall@5, image to text
 * @param textToImageR1 recall@1, text to image
 * @param textToImageR5 recall@5, text to image
 * @param meanRecallAt1 mean of both directions' recall@1 (DataComp's retrieval number)
 * @param retrievalPairs image-caption pairs retrieved over
 * @param skipped images that could not be evaluated
 * @param seconds wall time of the evaluation
 */
public record EvalResult(int classes, ZeroShotSplit all, ZeroShotSplit head, ZeroShotSplit tail,
        double imageToTextR1, double imageToTextR5, double textToImageR1, double textToImageR5,
        double meanRecallAt1, int retrievalPairs, int skipped, double seconds) {}
