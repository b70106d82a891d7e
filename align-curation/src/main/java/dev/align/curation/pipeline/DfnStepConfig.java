package dev.align.curation.pipeline;

import dev.align.core.Checks;
import dev.align.core.json.JsonOptional;
import dev.align.curation.dfn.DfnScorer;

/**
 * The DFN (or CLIP-score) step: score the pairs that reach it with a model folder and keep the top
 * fraction or those at or above a threshold; exactly one of {@code top} and {@code threshold}.
 *
 * @param model the model folder (with its {@code tokenizer.json})
 * @param top share of scored pairs to keep, in {@code [0, 1]} (DFN: 0.15)
 * @param threshold minimum cosine similarity to keep (DataComp's CLIP score: 0.25 or 0.28)
 * @param batchSize rows per forward pass (default 64); keep it fixed to reproduce scores exactly
 */
public record DfnStepConfig(String model, @JsonOptional Double top, @JsonOptional Double threshold,
        @JsonOptional Integer batchSize) {

    /** Applies defaults and checks values. */
    public DfnStepConfig {
        Checks.checkArgument(model != null && !model.isEmpty(),
                "the dfn step needs model=DIR (a model folder with tokenizer.json)");
        Checks.checkArgument((top == null) != (threshold == null),
                "the dfn step needs exactly one of top=FRACTION or threshold=SCORE, got top=%s "
                        + "threshold=%s", top, threshold);
        Checks.checkArgument(top == null || (top >= 0 && top <= 1),
                "dfn top must be in [0, 1], got %s", top);
        Checks.checkArgument(threshold == null || Double.isFinite(threshold),
                "dfn threshold must be finite, got %s", threshold);
        batchSize = batchSize == null ? DfnScorer.DEFAULT_BATCH_SIZE : batchSize;
        Checks.checkArgument(batchSize >= 1, "dfn batchSize must be >= 1, got %s", batchSize);
    }
}
