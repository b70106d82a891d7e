package dev.align.train.config;

/** The contrastive loss a run trains with. */
public enum LossKind {
    /** OpenCLIP's symmetric InfoNCE (optionally ALIGN's label smoothing). */
    INFONCE,
    /** The same InfoNCE with analytic gradients over column chunks ({@code O(chunk x N)} memory). */
    INFONCE_CHUNKED,
    /** SigLIP's sigmoid loss with autograd ({@code O(N²)} memory). */
    SIGLIP,
    /** SigLIP's sigmoid loss with analytic gradients over column chunks ({@code O(chunk x N)}). */
    SIGLIP_CHUNKED
}
