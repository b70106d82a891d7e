package dev.align.eval.zeroshot;

/**
 * Zero-shot accuracy on one class.
 *
 * @param index the class index (label)
 * @param folder the class folder name
 * @param name the readable class name the prompts used
 * @param images images listed for the class
 * @param evaluated of those, images that were embedded (the others were skipped as unreadable)
 * @param correct evaluated images whose top-1 prediction is this class
 * @param accuracy {@code correct / evaluated}, or {@code null} if none was evaluated
 */
public record ClassAccuracy(int index, String folder, String name, int images, int evaluated,
        int correct, Double accuracy) {}
