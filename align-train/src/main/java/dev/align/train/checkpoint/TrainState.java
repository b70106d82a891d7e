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
 */
public record TrainState(long step, long dataPosition, long patchDropoutCalls,
        @JsonOptional Map<String, String> sha256) {

    /** Defaults the checksums to none. */
    public TrainState {
        sha256 = sha256 == null ? Map.of() : Map.copyOf(sha256);
    }

    /** The state of a run that has not started. */
    public static TrainState start() {
        return new TrainState(0, 0, 0, null);
    }
}
