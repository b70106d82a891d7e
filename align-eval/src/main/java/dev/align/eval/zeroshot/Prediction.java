package dev.align.eval.zeroshot;

/**
 * One class of a top-k zero-shot prediction.
 *
 * @param classIndex index of the class in the classifier's class list
 * @param className its name
 * @param logit {@code 100 * image . classEmbedding}
 * @param probability softmax of the logits over all classes
 */
public record Prediction(int classIndex, String className, double logit, double probability) {}
