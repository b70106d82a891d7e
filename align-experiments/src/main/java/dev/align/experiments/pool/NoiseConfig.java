package dev.align.experiments.pool;

import dev.align.core.Checks;
import dev.align.core.json.JsonOptional;

/**
 * The defects injected into the pool, as shares of its pairs, and the long tail made of it.
 *
 * <pre>{@code {"mismatch": 0.30, "junk": 0.15, "headConcepts": 0.02, "headShare": 0.40,
 *  "jitterShift": 3, "jitterScale": 0.10, "jitterBrightness": 0.10}}</pre>
 *
 * @param mismatch share of the pool's pairs whose caption is replaced by another pair's caption
 *     (of another concept), default 0.30
 * @param junk share of the pool's pairs whose caption is replaced by alt-text junk, split evenly
 *     over file names, generic words, keyword soup and empty-ish captions, default 0.15
 * @param headConcepts share of the pool's concepts that are head concepts, default 0.02
 * @param headShare share of the pool's pairs that show a head concept once near-duplicates are
 *     added, default 0.40 (0 = no long tail is made)
 * @param jitterShift largest shift of a near-duplicate in pixels, default 3
 * @param jitterScale largest zoom-out of a near-duplicate, default 0.10 (scale in [0.9, 1])
 * @param jitterBrightness largest brightness change, default 0.10 (factor in [0.9, 1.1])
 */
public record NoiseConfig(@JsonOptional Double mismatch, @JsonOptional Double junk,
        @JsonOptional Double headConcepts, @JsonOptional Double headShare,
        @JsonOptional Integer jitterShift, @JsonOptional Double jitterScale,
        @JsonOptional Double jitterBrightness) {

    /** Applies the defaults and checks ranges. */
    public NoiseConfig {
        mismatch = mismatch == null ? 0.30 : mismatch;
        junk = junk == null ? 0.15 : junk;
        headConcepts = headConcepts == null ? 0.02 : headConcepts;
        headShare = headShare == null ? 0.40 : headShare;
        jitterShift = jitterShift == null ? 3 : jitterShift;
        jitterScale = jitterScale == null ? 0.10 : jitterScale;
        jitterBrightness = jitterBrightness == null ? 0.10 : jitterBrightness;
        Checks.checkArgument(mismatch >= 0 && junk >= 0 && mismatch + junk < 1,
                "noise.mismatch %s and noise.junk %s must be >= 0 and leave some pairs clean "
                        + "(sum < 1)", mismatch, junk);
        Checks.checkArgument(headConcepts > 0 && headConcepts <= 1,
                "noise.headConcepts must be in (0, 1], got %s", headConcepts);
        Checks.checkArgument(headShare >= 0 && headShare < 1,
                "noise.headShare must be in [0, 1), got %s", headShare);
        Checks.checkArgument(jitterShift >= 0 && jitterShift <= 32,
                "noise.jitterShift must be in [0, 32] pixels, got %s", jitterShift);
        Checks.checkArgument(jitterScale >= 0 && jitterScale < 1,
                "noise.jitterScale must be in [0, 1), got %s", jitterScale);
        Checks.checkArgument(jitterBrightness >= 0 && jitterBrightness < 1,
                "noise.jitterBrightness must be in [0, 1), got %s", jitterBrightness);
    }

    /** Every default. */
    public static NoiseConfig defaults() {
        return new NoiseConfig(null, null, null, null, null, null, null);
    }
}
