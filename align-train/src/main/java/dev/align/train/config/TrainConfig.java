package dev.align.train.config;

import static dev.align.core.Checks.checkArgument;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.align.core.json.Json;
import dev.align.core.json.JsonOptional;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A training run, read from strict JSON ({@link #fromJson(Path)}: unknown keys rejected with the
 * key named, required keys named when missing).
 *
 * <pre>{@code
 * {"schemaVersion": 1, "model": {"preset": "tiny"}, "data": {"kind": "SYNTHETIC"},
 *  "loss": {"kind": "INFONCE"}, "optimizer": {"peakLr": 5e-4, "warmupSteps": 10},
 *  "globalBatch": 256, "microBatch": 64, "steps": 200, "seed": 0}
 * }</pre>
 *
 * @param schemaVersion must be {@value #SCHEMA_VERSION}
 * @param model preset or inline model config
 * @param data where pairs come from
 * @param loss the contrastive loss
 * @param optimizer AdamW, schedule and clipping
 * @param globalBatch pairs per optimizer step; the loss always sees all of them as negatives
 * @param microBatch pairs per forward/backward pass (gradient caching), default the global batch
 * @param steps optimizer steps of the whole run
 * @param seed the one seed: split per component into initialisation, data order and dropout
 * @param threads libtorch intra-op threads (set when the JVM starts), default all cores
 * @param checkpointEvery steps between checkpoints, default max(1, steps / 10)
 * @param keepCheckpoints checkpoints kept on disk, default 3
 * @param lockImage freeze the image tower (LiT), default false
 * @param lockText freeze the text tower, default false
 * @param device DJL device name ("cpu", "gpu0", ...) of the parameters, default "cpu"
 * @param devices devices to spread micro-batches over, data parallel (e.g. {@code ["gpu0",
 *     "gpu1"]}); the first must be {@code device}; default {@code [device]}
 * @param replayMicroBatches read each micro-batch from the data source again for the second
 *     pass of gradient caching instead of holding the global batch's pixels in memory, so memory
 *     does not grow with the global batch beyond the embeddings; default true
 * @param eval evaluation during training (zero-shot, retrieval every N steps), default none
 */
public record TrainConfig(
        int schemaVersion,
        ModelSpec model,
        DataSpec data,
        LossSpec loss,
        OptimizerSpec optimizer,
        int globalBatch,
        @JsonOptional Integer microBatch,
        long steps,
        long seed,
        @JsonOptional Integer threads,
        @JsonOptional Long checkpointEvery,
        @JsonOptional Integer keepCheckpoints,
        @JsonOptional Boolean lockImage,
        @JsonOptional Boolean lockText,
        @JsonOptional String device,
        @JsonOptional List<String> devices,
        @JsonOptional Boolean replayMicroBatches,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonOptional EvalSpec eval) {

    /** The schema version this code reads and writes. */
    public static final int SCHEMA_VERSION = 1;

    /** Applies defaults and checks every invariant, naming the offending value. */
    public TrainConfig {
        checkArgument(schemaVersion == SCHEMA_VERSION, "schemaVersion must be %s, got %s",
                SCHEMA_VERSION, schemaVersion);
        checkArgument(model != null && data != null && loss != null && optimizer != null,
                "model, data, loss and optimizer are required");
        checkArgument(globalBatch >= 1, "globalBatch must be >= 1, got %s", globalBatch);
        microBatch = microBatch == null ? globalBatch : microBatch;
        checkArgument(microBatch >= 1 && microBatch <= globalBatch,
                "microBatch must be in [1, globalBatch %s], got %s", globalBatch, microBatch);
        checkArgument(steps >= 1, "steps must be >= 1, got %s", steps);
        checkArgument(optimizer.warmupSteps() < steps,
                "optimizer.warmupSteps %s must be < steps %s", optimizer.warmupSteps(), steps);
        threads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        checkArgument(threads >= 1, "threads must be >= 1, got %s", threads);
        checkpointEvery = checkpointEvery == null ? Math.max(1, steps / 10) : checkpointEvery;
        checkArgument(checkpointEvery >= 1, "checkpointEvery must be >= 1, got %s", checkpointEvery);
        keepCheckpoints = keepCheckpoints == null ? 3 : keepCheckpoints;
        checkArgument(keepCheckpoints >= 1, "keepCheckpoints must be >= 1, got %s", keepCheckpoints);
        lockImage = lockImage != null && lockImage;
        lockText = lockText != null && lockText;
        checkArgument(!(lockImage && lockText), "lockImage and lockText cannot both be true: "
                + "nothing but the temperature would train");
        device = device == null ? devices == null || devices.isEmpty() ? "cpu" : devices.get(0) : device;
        devices = devices == null ? List.of(device) : List.copyOf(devices);
        checkArgument(!devices.isEmpty() && devices.get(0).equals(device),
                "devices must start with device %s (where the parameters live), got %s", device, devices);
        replayMicroBatches = replayMicroBatches == null || replayMicroBatches;
    }

    /** Reads a run config from strict JSON. */
    public static TrainConfig fromJson(Path file) throws IOException {
        return Json.read(file, TrainConfig.class);
    }

    /** Parses a run config from strict JSON text. */
    public static TrainConfig fromJson(String json) {
        return Json.parse(json, TrainConfig.class, "train config");
    }

    /** This config as indented JSON (every default filled in). */
    public String toJson() {
        return Json.write(this);
    }

    /** Whether a checkpoint is due after {@code step} (0-based) completes. */
    public boolean isCheckpointStep(long step) {
        return (step + 1) % checkpointEvery == 0 || step + 1 == steps;
    }
}
