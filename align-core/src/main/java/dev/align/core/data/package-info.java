/**
 * What training and evaluation consume: batches of image-text pairs as plain Java arrays
 * ({@link dev.align.core.data.ImageTextBatch}) from an endless, seekable
 * {@link dev.align.core.data.ImageTextSource}. The data pipeline implements the source; the
 * trainer turns batches into tensors inside its per-step scope.
 */
package dev.align.core.data;
