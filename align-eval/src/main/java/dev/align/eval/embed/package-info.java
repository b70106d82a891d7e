/**
 * Embedding of images and texts: the small capability interfaces {@link
 * dev.align.eval.embed.ImageEncoder} and {@link dev.align.eval.embed.TextEncoder} that the
 * evaluations take (so they can be tested with fakes), and {@link
 * dev.align.eval.embed.ClipEmbedder}, their implementation on a trained model.
 */
package dev.align.eval.embed;
