package dev.align.eval.retrieval;

/**
 * Recall at one cut-off {@code k}.
 *
 * @param k the cut-off
 * @param imageToText fraction of images with at least one of their captions among the {@code k}
 *     best texts (CLIP_benchmark's {@code text_retrieval_recall@k})
 * @param textToImage fraction of texts whose image is among the {@code k} best images
 *     (CLIP_benchmark's {@code image_retrieval_recall@k})
 * @param mean {@code (imageToText + textToImage) / 2}; at {@code k = 1} DataComp's retrieval score
 */
public record RecallAtK(int k, double imageToText, double textToImage, double mean) {}
