package dev.align.experiments.eval;

/**
 * One class of the zero-shot evaluation set.
 *
 * @param folder its folder in the ImageFolder
 * @param name the readable name the prompts use
 * @param concept the pool concept it shows ({@code emoji:1F600}), or {@code null} when it maps
 *     to none
 * @param head whether the concept is one of the pool's head concepts
 */
public record EvalClass(String folder, String name, String concept, boolean head) {}
