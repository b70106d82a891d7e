package dev.align.experiments.curation;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.align.core.Checks;
import dev.align.core.json.JsonOptional;

/**
 * The evaluation set and how it is read.
 *
 * @param classes OpenMoji classes to evaluate on, half of them head concepts when there are
 *     enough; 0 (default) = every class whose concept is in the pool: with models this weak, a
 *     difference between arms is a few images, and evaluating 200 classes instead of all of
 *     them saves seconds but leaves only 200 images to count
 * @param templates prompt templates: {@code null} (default) = the {@code eval/templates.txt}
 *     the OpenMoji import wrote (prompts that fit drawings), else anything
 *     {@link dev.align.eval.zeroshot.Templates#named} accepts (a set name or a file)
 * @param openmoji an existing {@code ./align data import openmoji} output folder to take the
 *     evaluation set from; {@code null} (default) = import OpenMoji into the experiment's folder
 * @param openmojiLimit when importing: at most this many OpenMoji drawings, in
 *     {@code openmoji.json}'s order (smileys and people first, as the emoji sources), 0 = all
 *     (default); a smaller import saves time when few classes are evaluated
 * @param batchSize images or texts per forward pass, default 64
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvalConfig(@JsonOptional Integer classes, @JsonOptional String templates,
        @JsonOptional String openmoji, @JsonOptional Long openmojiLimit,
        @JsonOptional Integer batchSize) {

    /** Applies defaults and checks values. */
    public EvalConfig {
        classes = classes == null ? 0 : classes;
        openmojiLimit = openmojiLimit == null ? 0L : openmojiLimit;
        batchSize = batchSize == null ? 64 : batchSize;
        Checks.checkArgument(openmojiLimit >= 0, "eval.openmojiLimit must be >= 0 (0 = all), "
                + "got %s", openmojiLimit);
        Checks.checkArgument(classes == 0 || classes >= 2, "eval.classes must be 0 (all) or "
                + ">= 2, got %s", classes);
        Checks.checkArgument(batchSize >= 1, "eval.batchSize must be >= 1, got %s", batchSize);
    }

    /** Every default. */
    public static EvalConfig defaults() {
        return new EvalConfig(null, null, null, null, null);
    }
}
