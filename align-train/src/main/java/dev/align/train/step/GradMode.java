package dev.align.train.step;

import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's grad mode on for the calling thread until closed, then restored: what a DJL
 * {@code GradientCollector} does, without its lock. DJL's PyTorch collector also holds a
 * process-wide flag and throws when a second one opens, so two runs training on two threads at
 * once cannot both use one; grad mode itself is per thread.
 */
final class GradMode implements AutoCloseable {

    private final boolean previous;

    private GradMode(boolean enabled) {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(enabled);
    }

    /** Grad mode on: operations build a graph. */
    static GradMode on() {
        return new GradMode(true);
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
