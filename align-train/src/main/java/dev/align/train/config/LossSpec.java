package dev.align.train.config;

import static dev.align.core.Checks.checkArgument;

import dev.align.core.json.JsonOptional;

/**
 * The loss.
 *
 * @param kind InfoNCE, SigLIP or chunked SigLIP
 * @param labelSmoothing InfoNCE label smoothing (ALIGN: 0.1), default 0
 * @param chunk text columns per block for the chunked losses, default 1024
 */
public record LossSpec(LossKind kind, @JsonOptional Double labelSmoothing, @JsonOptional Integer chunk) {

    /** Applies defaults and checks ranges. */
    public LossSpec {
        checkArgument(kind != null, "loss.kind must be one of %s", java.util.Arrays.toString(LossKind.values()));
        labelSmoothing = labelSmoothing == null ? 0.0 : labelSmoothing;
        chunk = chunk == null ? 1024 : chunk;
        checkArgument(labelSmoothing >= 0 && labelSmoothing < 1,
                "loss.labelSmoothing must be in [0, 1), got %s", labelSmoothing);
        checkArgument(labelSmoothing == 0 || kind == LossKind.INFONCE
                        || kind == LossKind.INFONCE_CHUNKED,
                "loss.labelSmoothing applies to InfoNCE only, got %s with %s", labelSmoothing, kind);
        checkArgument(chunk >= 1, "loss.chunk must be >= 1, got %s", chunk);
    }
}
