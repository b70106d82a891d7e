/**
 * Evaluation and embedding APIs: {@code embed} (a thread-safe {@link
 * dev.align.eval.embed.ClipEmbedder} from images and texts to L2-normalised vectors),
 * {@code zeroshot} (OpenCLIP's zero-shot classifier and its evaluation on an image folder),
 * {@code retrieval} (recall@k both ways), {@code probe} (a linear probe on frozen embeddings) and
 * {@code djl} (the model behind DJL's {@code Predictor}).
 */
package dev.align.eval;
