package dev.align.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import dev.align.data.djl.ImageTextDataset;
import dev.align.data.image.ImageTransform;
import dev.align.data.shards.ShardReaderOptions;
import dev.align.data.shards.ShardSource;
import dev.align.data.text.Tokenizer;
import java.nio.file.Path;
import java.util.Locale;

/**
 * align's WebDataset shards as a DJL {@code Dataset}, for a training loop of your own written
 * against DJL: a shuffling, seekable {@link ShardSource} (images through OpenCLIP's transform,
 * captions through the tokenizer) wrapped in an {@link ImageTextDataset}.
 *
 * <pre>
 * examples/run ShardsAsDjlDataset 'data/syn/{00000..00002}.tar' data/syn/tokenizer.json [32]
 * </pre>
 *
 * <p>Prints one line per batch of an epoch of 3 batches of 16:
 * {@code batch 1/3: pixel_values (16, 3, 32, 32) float32 mean -0.512, input_ids (16, 32) int64}.
 */
public final class ShardsAsDjlDataset {

    private ShardsAsDjlDataset() {}

    /**
     * Runs the example.
     *
     * @param args the shard pattern, the tokenizer.json written beside the shards, optionally
     *     the image size
     * @throws Exception if the shards or the tokenizer cannot be read
     */
    public static void main(String[] args) throws Exception {
        int imageSize = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        Tokenizer tokenizer = Tokenizer.load(Path.of(args[1]), 32);
        ShardSource source = new ShardSource(
                ShardReaderOptions.of(args[0]).withSeed(0),         // shard and sample shuffle
                ImageTransform.builder(imageSize).build(), tokenizer::encode, 32);
        try (ImageTextDataset dataset = ImageTextDataset.builder().setSource(source)
                     .setBatchSize(16).setBatchesPerEpoch(3).build();
             NDManager manager = NDManager.newBaseManager()) {
            for (Batch batch : dataset.getData(manager)) {
                try (batch) {                                       // frees the batch's arrays
                    NDList data = batch.getData();
                    NDArray pixels = data.get(ImageTextDataset.PIXELS);
                    NDArray ids = data.get(ImageTextDataset.INPUT_IDS);
                    System.out.printf(Locale.ROOT, "batch %d/%d: %s %s %s mean %.3f, %s %s %s%n",
                            batch.getProgress(), batch.getProgressTotal(), pixels.getName(),
                            pixels.getShape(), pixels.getDataType(), pixels.mean().getFloat(),
                            ids.getName(), ids.getShape(), ids.getDataType());
                }
            }
        }
    }
}
