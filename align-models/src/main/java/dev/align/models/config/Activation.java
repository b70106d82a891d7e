package dev.align.models.config;

/** The MLP non-linearity of a transformer tower. */
public enum Activation {
    /** Exact (erf) GELU, used by models trained with OpenCLIP. */
    GELU,
    /** {@code x * sigmoid(1.702 x)}, used by OpenAI's CLIP checkpoints. */
    QUICK_GELU
}
