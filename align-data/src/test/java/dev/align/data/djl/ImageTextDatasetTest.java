package dev.align.data.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import dev.align.core.data.ImageTextBatch;
import dev.align.core.data.ImageTextSource;
import dev.align.data.image.ImageTransform;
import dev.align.data.shards.ShardReaderOptions;
import dev.align.data.shards.ShardSource;
import dev.align.data.shards.ShardWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageTextDatasetTest {

    @TempDir
    Path dir;

    /** Pair i has pixels all equal to i and token ids (i, i+1, 0). */
    private static final class Counting implements ImageTextSource {
        long position;
        boolean closed;

        @Override
        public ImageTextBatch next(int batchSize) {
            List<String> keys = new ArrayList<>();
            float[] pixels = new float[batchSize * 3 * 2 * 2];
            long[] ids = new long[batchSize * 3];
            for (int b = 0; b < batchSize; b++, position++) {
                keys.add("k" + position);
                java.util.Arrays.fill(pixels, b * 12, (b + 1) * 12, position);
                ids[b * 3] = position;
                ids[b * 3 + 1] = position + 1;
            }
            return new ImageTextBatch(keys, 2, pixels, 3, ids);
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public void seek(long position) {
            this.position = position;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void batchesHoldNamedPixelsAndIdsAndEpochsContinueTheStream() throws IOException {
        Counting source = new Counting();
        try (ImageTextDataset dataset = ImageTextDataset.builder().setSource(source)
                .setBatchSize(3).setBatchesPerEpoch(2).build();
             NDManager manager = NDManager.newBaseManager()) {
            List<Long> firstPixels = new ArrayList<>();
            for (Batch batch : dataset.getData(manager)) {
                try (batch) {
                    NDList data = batch.getData();
                    NDArray pixels = data.get(ImageTextDataset.PIXELS);
                    NDArray ids = data.get(ImageTextDataset.INPUT_IDS);
                    assertEquals(new Shape(3, 3, 2, 2), pixels.getShape());
                    assertEquals(DataType.FLOAT32, pixels.getDataType());
                    assertEquals(new Shape(3, 3), ids.getShape());
                    assertEquals(DataType.INT64, ids.getDataType());
                    assertEquals(0, batch.getLabels().size());
                    assertEquals(3, batch.getSize());
                    assertEquals(2, batch.getProgressTotal());
                    firstPixels.add((long) pixels.getFloat(0, 0, 0, 0));
                }
            }
            assertEquals(List.of(0L, 3L), firstPixels);
            assertEquals(6, dataset.position());
            Batch next = dataset.getData(manager).iterator().next();       // epoch 2 goes on
            NDArray ids = next.getData().get(1);
            assertArrayEquals(new long[] {6, 7, 0, 7, 8, 0, 8, 9, 0}, ids.toLongArray());
            assertEquals(1, next.getProgress());
            next.close();
            assertTrue(ids.isReleased(), "closing the batch frees its arrays");
        }
        assertTrue(source.closed, "closing the dataset closes the source");
    }

    @Test
    void epochsEndAfterTheirBatchesAndAClosedDatasetRefuses() throws IOException {
        ImageTextDataset dataset = ImageTextDataset.builder().setSource(new Counting())
                .setBatchSize(1).setBatchesPerEpoch(1).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            var it = dataset.getData(manager).iterator();
            it.next().close();
            assertFalse(it.hasNext());
            assertThrows(java.util.NoSuchElementException.class, it::next);
            dataset.close();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> dataset.getData(manager));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }

    @Test
    void builderNamesWhatIsMissing() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageTextDataset.builder().setBatchSize(2).setBatchesPerEpoch(1).build());
        assertTrue(e.getMessage().contains("setSource is required"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImageTextDataset.builder()
                .setSource(new Counting()).setBatchSize(0).setBatchesPerEpoch(1).build());
        assertTrue(e.getMessage().contains("setBatchSize must be >= 1, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImageTextDataset.builder()
                .setSource(new Counting()).setBatchSize(2).build());
        assertTrue(e.getMessage().contains("setBatchesPerEpoch must be >= 1"), e.getMessage());
    }

    @Test
    void shardsReadThroughTheDatasetEqualTheShardSource() throws IOException {
        try (ShardWriter writer = new ShardWriter(dir.resolve("s"), 4)) {
            for (int i = 0; i < 10; i++) {
                writer.write(String.format("%03d", i), "png", png(6 + i, 0x102030 * i),
                        "caption " + i, "{}");
            }
        }
        ShardReaderOptions options = ShardReaderOptions.of(dir.resolve("s") + "/{00000..00002}.tar");
        ImageTransform transform = ImageTransform.builder(8).build();
        java.util.function.Function<String, long[]> tokens = t -> new long[] {t.length(), 1};
        try (ShardSource reference = new ShardSource(options, transform, tokens, 4);
             ImageTextDataset dataset = ImageTextDataset.builder()
                     .setSource(new ShardSource(options, transform, tokens, 4))
                     .setBatchSize(4).setBatchesPerEpoch(3).build();
             NDManager manager = NDManager.newBaseManager()) {
            for (Batch batch : dataset.getData(manager)) {
                try (batch) {
                    ImageTextBatch expected = reference.next(4);
                    assertArrayEquals(expected.pixels(), batch.getData().get(0).toFloatArray());
                    assertArrayEquals(expected.tokenIds(), batch.getData().get(1).toLongArray());
                }
            }
        }
    }

    private static byte[] png(int size, int rgb) throws IOException {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                image.setRGB(x, y, rgb + x);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
