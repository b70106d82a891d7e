/**
 * Image-text retrieval: recall@k image-to-text and text-to-image with several captions per image,
 * as CLIP_benchmark computes it and DataComp reports it, over plain {@code float[][]} embeddings
 * ({@link dev.align.eval.retrieval.Retrieval}) or over WebDataset shards ({@link
 * dev.align.eval.retrieval.RetrievalEvaluator}).
 */
package dev.align.eval.retrieval;
