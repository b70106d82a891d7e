package dev.align.train.config;

import static dev.align.core.Checks.checkArgument;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.align.core.json.JsonOptional;
import dev.align.data.image.ImageTransform;
import java.util.Arrays;

/**
 * The training data. {@code SYNTHETIC} takes no other key:
 * <pre>{@code {"kind": "SYNTHETIC"}}</pre>
 * {@code SHARDS} reads WebDataset shards through a {@code tokenizer.json}, as OpenCLIP's
 * {@code --train-data} with its defaults:
 * <pre>{@code {"kind": "SHARDS", "shards": "data/{00000..00009}.tar",
 *  "tokenizer": "data/tokenizer.json", "shuffleBuffer": 5000, "shuffleShards": true,
 *  "interleave": 4, "workers": 2, "crop": "RANDOM_RESIZED", "cropScaleMin": 0.9,
 *  "cropScaleMax": 1.0}}</pre>
 *
 * <p>Data order: contrastive training takes its negatives from the batch, so a batch of
 * near-duplicates (skin tones of one emoji, images of one class) teaches nothing. Shards are read
 * {@code interleave} at a time in a seeded random order (as several WebDataset workers, each on
 * its own shard) into a shuffle buffer of {@code shuffleBuffer} samples, by default
 * {@value #DEFAULT_SHUFFLE_BUFFER}: OpenCLIP's per-worker sample buffer
 * ({@code _SAMPLE_SHUFFLE_SIZE}), big enough to shuffle a whole set of a few thousand samples
 * fully and, for larger sets, to draw a batch from thousands of samples of several shards. It
 * holds encoded samples only (the emoji importer's 64-px PNGs average 3.3 KB, so 5,000 take
 * about 16 MB; 256-px drawings several times that). Shards written in a random order ({@code ./align data import}
 * does) need nothing more; {@code ./align data inspect} warns about shards that do not.
 *
 * @param kind where pairs come from
 * @param shards SHARDS: shard files, brace patterns and {@code ::} allowed (relative paths are
 *     relative to the working directory)
 * @param tokenizer SHARDS: the {@code tokenizer.json} (CLIP-style BPE as
 *     {@code ./align data import} trains it, or any HuggingFace tokenizer); copied into the final
 *     model folder
 * @param shuffleBuffer SHARDS: samples in the shuffle buffer, default
 *     {@value #DEFAULT_SHUFFLE_BUFFER} (0 = read order)
 * @param shuffleShards SHARDS: read the shards in a seeded random order each epoch, default true
 * @param interleave SHARDS: shards read at the same time, their samples interleaved in a seeded
 *     random order, default {@value #DEFAULT_INTERLEAVE} (1 = one shard after another)
 * @param workers SHARDS: threads that decode and transform a batch's images, and shards read
 *     ahead in parallel (at most one thread per shard), default 2; batches do not depend on it
 * @param crop SHARDS: {@code RANDOM_RESIZED} (training augmentation, default) or {@code CENTER}
 * @param cropScaleMin SHARDS: smallest area fraction of a random resized crop, default 0.9
 *     (OpenCLIP's {@code scale=(0.9, 1.0)})
 * @param cropScaleMax SHARDS: largest area fraction, default 1.0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataSpec(
        DataKind kind,
        @JsonOptional String shards,
        @JsonOptional String tokenizer,
        @JsonOptional Integer shuffleBuffer,
        @JsonOptional Boolean shuffleShards,
        @JsonOptional Integer interleave,
        @JsonOptional Integer workers,
        @JsonOptional ImageTransform.Crop crop,
        @JsonOptional Double cropScaleMin,
        @JsonOptional Double cropScaleMax) {

    /** Samples in the shuffle buffer unless set: OpenCLIP's {@code _SAMPLE_SHUFFLE_SIZE}. */
    public static final int DEFAULT_SHUFFLE_BUFFER = 5000;
    /** Shards interleaved unless set. */
    public static final int DEFAULT_INTERLEAVE = 4;

    /** Checks the kind and, for shards, applies the defaults and checks every setting. */
    public DataSpec {
        checkArgument(kind != null, "data.kind must be one of %s",
                Arrays.toString(DataKind.values()));
        if (kind == DataKind.SYNTHETIC) {
            checkArgument(shards == null && tokenizer == null && shuffleBuffer == null
                            && shuffleShards == null && interleave == null && workers == null
                            && crop == null && cropScaleMin == null && cropScaleMax == null,
                    "data.kind SYNTHETIC takes no other key (shards, tokenizer, shuffleBuffer, "
                            + "shuffleShards, interleave, workers, crop, cropScale* are for "
                            + "SHARDS)");
        } else {
            checkArgument(shards != null && !shards.isBlank(), "data.shards is required for "
                    + "kind SHARDS: a brace pattern such as \"data/{00000..00009}.tar\"");
            checkArgument(tokenizer != null && !tokenizer.isBlank(), "data.tokenizer is "
                    + "required for kind SHARDS: the tokenizer.json that ./align data import "
                    + "writes beside the shards");
            shuffleBuffer = shuffleBuffer == null ? DEFAULT_SHUFFLE_BUFFER : shuffleBuffer;
            checkArgument(shuffleBuffer >= 0, "data.shuffleBuffer must be >= 0, got %s",
                    shuffleBuffer);
            shuffleShards = shuffleShards == null || shuffleShards;
            interleave = interleave == null ? DEFAULT_INTERLEAVE : interleave;
            checkArgument(interleave >= 1 && interleave <= 256,
                    "data.interleave must be in [1, 256] shards, got %s", interleave);
            workers = workers == null ? 2 : workers;
            checkArgument(workers >= 1 && workers <= 64, "data.workers must be in [1, 64], got %s",
                    workers);
            crop = crop == null ? ImageTransform.Crop.RANDOM_RESIZED : crop;
            cropScaleMin = cropScaleMin == null ? 0.9 : cropScaleMin;
            cropScaleMax = cropScaleMax == null ? 1.0 : cropScaleMax;
            checkArgument(cropScaleMin > 0 && cropScaleMin <= cropScaleMax && cropScaleMax <= 1,
                    "data.cropScaleMin and cropScaleMax must satisfy 0 < min <= max <= 1, got "
                            + "%s and %s", cropScaleMin, cropScaleMax);
        }
    }

    /** The procedural source. */
    public static DataSpec synthetic() {
        return new DataSpec(DataKind.SYNTHETIC, null, null, null, null, null, null, null, null,
                null);
    }

    /** Shards with every other setting at its default. */
    public static DataSpec shards(String shards, String tokenizer) {
        return new DataSpec(DataKind.SHARDS, shards, tokenizer, null, null, null, null, null,
                null, null);
    }
}
