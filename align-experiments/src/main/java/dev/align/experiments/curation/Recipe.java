package dev.align.experiments.curation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align.core.Checks;
import dev.align.core.json.Json;
import dev.align.core.json.JsonOptional;
import dev.align.data.image.ImageTransform;
import dev.align.models.config.ClipConfig;
import dev.align.models.config.VisionConfig;
import dev.align.train.config.DataKind;
import dev.align.train.config.LossKind;
import dev.align.train.config.LossSpec;
import dev.align.train.config.ModelSpec;
import dev.align.train.config.TrainConfig;

/**
 * The training recipe every arm (and the filter network) is trained with: the same model, steps,
 * global batch and schedule whatever the arm kept, so every arm sees the same number of samples
 * (DataComp's rule; smaller sets are simply repeated for more epochs). The defaults take the
 * recipe study's finding (benchmarks/README.md): at the same samples, batch 128 with twice the
 * steps learns more than batch 256 on these sets:
 *
 * <pre>{@code {"model": {"preset": "tiny"}, "imageSize": 32, "steps": 320, "globalBatch": 128,
 *  "microBatch": 128, "peakLr": 1e-3, "warmupFraction": 0.1, "weightDecay": 0.1,
 *  "shuffleBuffer": 1000, "cropScaleMin": 0.9, "workers": 2, "loss": {"kind": "INFONCE"}}}</pre>
 *
 * @param model preset or inline model ({@code ./align train}'s {@code model} block), default
 *     {@code tiny}
 * @param imageSize input side in pixels; default the model's own (tiny: 32). Another value
 *     replaces the model's vision image size (the patch size must divide it)
 * @param steps optimizer steps per run, default 320
 * @param globalBatch pairs per step (the loss's negatives), default 128
 * @param microBatch pairs per forward pass (gradient caching), default the global batch
 * @param peakLr default 1e-3
 * @param warmupFraction linear warmup steps as a share of the steps, default 0.1; cosine after
 * @param weightDecay default 0.1
 * @param shuffleBuffer smallest shuffle buffer, default 1000; a run's buffer is never smaller
 *     than the set it trains on, so every epoch is a full random permutation
 * @param cropScaleMin smallest area of the random resized crop, default 0.9
 * @param workers decoding threads, default 2
 * @param loss the loss, default InfoNCE
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Recipe(@JsonOptional ModelSpec model, @JsonOptional Integer imageSize,
        @JsonOptional Long steps, @JsonOptional Integer globalBatch,
        @JsonOptional Integer microBatch, @JsonOptional Double peakLr,
        @JsonOptional Double warmupFraction, @JsonOptional Double weightDecay,
        @JsonOptional Integer shuffleBuffer, @JsonOptional Double cropScaleMin,
        @JsonOptional Integer workers, @JsonOptional LossSpec loss) {

    /** Applies defaults and checks values. */
    public Recipe {
        model = model == null ? new ModelSpec("tiny", null, null) : model;
        imageSize = imageSize == null ? model.resolve().vision().imageSize() : imageSize;
        steps = steps == null ? 320L : steps;
        globalBatch = globalBatch == null ? 128 : globalBatch;
        microBatch = microBatch == null ? globalBatch : microBatch;
        peakLr = peakLr == null ? 1e-3 : peakLr;
        warmupFraction = warmupFraction == null ? 0.1 : warmupFraction;
        weightDecay = weightDecay == null ? 0.1 : weightDecay;
        shuffleBuffer = shuffleBuffer == null ? 1000 : shuffleBuffer;
        cropScaleMin = cropScaleMin == null ? 0.9 : cropScaleMin;
        workers = workers == null ? 2 : workers;
        loss = loss == null ? new LossSpec(LossKind.INFONCE, null, null) : loss;
        Checks.checkArgument(steps >= 1, "recipe.steps must be >= 1, got %s", steps);
        Checks.checkArgument(globalBatch >= 2, "recipe.globalBatch must be >= 2 (a contrastive "
                + "loss needs negatives), got %s", globalBatch);
        Checks.checkArgument(warmupFraction >= 0 && warmupFraction < 1,
                "recipe.warmupFraction must be in [0, 1), got %s", warmupFraction);
        Checks.checkArgument(shuffleBuffer >= 0, "recipe.shuffleBuffer must be >= 0, got %s",
                shuffleBuffer);
        Checks.checkArgument(model.resolve().vision().patchSize() > 0
                && imageSize % model.resolve().vision().patchSize() == 0,
                "recipe.imageSize %s must be a multiple of the model's patch size %s", imageSize,
                model.resolve().vision().patchSize());
        // The remaining checks are TrainConfig's, made now rather than after an hour of work.
        build(clipConfig(model, imageSize), globalBatch, microBatch, peakLr,
                warmupFraction, weightDecay, shuffleBuffer, cropScaleMin, workers, loss, steps,
                "pool/00000.tar", "tokenizer.json", 0, 1, 1);
    }

    /** Every default. */
    public static Recipe defaults() {
        return new Recipe(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The model trained, the image size applied. */
    public ClipConfig clipConfig() {
        return clipConfig(model, imageSize);
    }

    private static ClipConfig clipConfig(ModelSpec model, int imageSize) {
        ClipConfig c = model.resolve();
        VisionConfig v = c.vision();
        return imageSize == v.imageSize() ? c : c.withVision(new VisionConfig(imageSize,
                v.patchSize(), v.width(), v.layers(), v.heads(), v.mlpRatio(), v.activation(),
                v.patchDropout()));
    }

    /** Warmup steps of a run of {@code runSteps} steps. */
    public long warmupSteps(long runSteps) {
        return warmupSteps(warmupFraction, runSteps);
    }

    private static long warmupSteps(double warmupFraction, long runSteps) {
        return Math.min(runSteps - 1, Math.round(warmupFraction * runSteps));
    }

    /**
     * The run config of one training run.
     *
     * @param runSteps the run's steps (the recipe's for an arm; the filter may differ)
     * @param shards the training shards
     * @param tokenizer the pool's {@code tokenizer.json}
     * @param seed the run's seed
     * @param threads libtorch threads
     * @param pairs pairs in the training set (the shuffle buffer is at least this)
     */
    public TrainConfig trainConfig(long runSteps, String shards, String tokenizer, long seed,
            int threads, long pairs) {
        return build(clipConfig(), globalBatch, microBatch, peakLr, warmupFraction,
                weightDecay, shuffleBuffer, cropScaleMin, workers, loss, runSteps, shards,
                tokenizer, seed, threads, pairs);
    }

    /**
     * The run config, built as JSON and read by {@link TrainConfig#fromJson(String)}: named keys
     * keep this working when the run config gains optional settings, and the config gets exactly
     * the checks and defaults {@code ./align train} gives a file.
     */
    private static TrainConfig build(ClipConfig model, int globalBatch,
            int microBatch, double peakLr, double warmupFraction, double weightDecay,
            int shuffleBuffer, double cropScaleMin, int workers, LossSpec loss, long runSteps,
            String shards, String tokenizer, long seed, int threads, long pairs) {
        ObjectMapper m = Json.mapper();
        ObjectNode root = m.createObjectNode();
        root.put("schemaVersion", TrainConfig.SCHEMA_VERSION);
        root.set("model", m.createObjectNode().set("config", m.valueToTree(model)));
        ObjectNode data = root.putObject("data");
        data.put("kind", DataKind.SHARDS.name());
        data.put("shards", shards);
        data.put("tokenizer", tokenizer);
        data.put("shuffleBuffer", (int) Math.min(Integer.MAX_VALUE, Math.max(shuffleBuffer,
                pairs)));
        data.put("shuffleShards", true);
        data.put("workers", workers);
        data.put("crop", ImageTransform.Crop.RANDOM_RESIZED.name());
        data.put("cropScaleMin", cropScaleMin);
        data.put("cropScaleMax", 1.0);
        root.set("loss", m.valueToTree(loss));
        ObjectNode optimizer = root.putObject("optimizer");
        optimizer.put("peakLr", peakLr);
        optimizer.put("warmupSteps", warmupSteps(warmupFraction, runSteps));
        optimizer.put("weightDecay", weightDecay);
        root.put("globalBatch", globalBatch);
        root.put("microBatch", microBatch);
        root.put("steps", runSteps);
        root.put("seed", seed);
        root.put("threads", threads);
        root.put("checkpointEvery", Math.max(1, runSteps / 4));
        root.put("keepCheckpoints", 1);
        return TrainConfig.fromJson(root.toString());
    }
}
