package dev.align.train;

/**
 * The loss or the gradient became NaN or infinite: the run stops at that step rather than train
 * on garbage. The last checkpoint before it is intact.
 */
public final class TrainingDivergedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;
    private final long step;

    /** @param step the 1-based step whose loss or gradient was not finite */
    public TrainingDivergedException(String what, double value, long step) {
        super(String.format("%s became %s at step %d; lower optimizer.peakLr, raise warmupSteps or "
                + "enable gradClipNorm, then resume from the last checkpoint", what, value, step));
        this.step = step;
    }

    /** The step at which training stopped. */
    public long step() {
        return step;
    }
}
