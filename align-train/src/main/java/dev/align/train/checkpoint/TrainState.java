package dev.align.train.checkpoint;

import dev.align.core.json.JsonOptional;
import java.util.Map;

/**
 * Everything besides weights and optimizer moments that a run needs to continue exactly.
 *
 * @param step optimizer steps completed
 * @param dataPosition pairs the data source has delivered
 * @param patchDropoutCalls FLIP patch dropout's call counter (its generator's state)
 * @param sha256 checksums of the checkpoint's files, by file name (filled in when saving)
 * @param skipped samples the data source had skipped as corrupt, by reason (a source that is
 *     seeked on resume may not see them all again: it need not decode what it skips over)
 */
public record TrainState(long step, long dataPosition, long patchDropoutCalls,
        @JsonOptional Map<String, String> sha256, @JsonOptional Map<String, Long> skipped) {

    /** Defaults the checksums and skip counts to none. */
    public TrainState {
        sha256 = sha256 == null ? Map.of() : Map.copyOf(sha256);
        skipped = skipped == null ? Map.of() : Map.copyOf(skipped);
    }

    /** This state with the checksums of its checkpoint's files. */
    public TrainState withSha256(Map<String, String> sums) {
        return new TrainState(step, dataPosition, patchDropoutCalls, sums, skipped);
    }

    /** The state of a run that has not started. */
    public static TrainState start() {
        return new TrainState(0, 0, 0, null, null);
    }
}
