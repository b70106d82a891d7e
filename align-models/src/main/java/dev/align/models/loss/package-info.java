/**
 * Contrastive losses over L2-normalised embeddings: OpenCLIP's symmetric InfoNCE (with ALIGN's
 * label smoothing), SigLIP's sigmoid loss, and a chunked SigLIP with analytic gradients whose
 * memory grows as O(chunk x N) instead of O(N²).
 */
package dev.align.models.loss;
