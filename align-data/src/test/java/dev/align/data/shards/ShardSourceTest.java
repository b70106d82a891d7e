package dev.align.data.shards;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.core.data.ImageTextBatch;
import dev.align.data.image.ImageTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShardSourceTest {

    private static final int T = 6;

    @TempDir
    Path dir;

    /** A fake tokenizer: start token, one id per character (at most 4), end token. */
    private static final Function<String, long[]> TOKENIZER = caption -> {
        int n = Math.min(4, caption.length());
        long[] ids = new long[n + 2];
        ids[0] = 49406;
        for (int i = 0; i < n; i++) {
            ids[i + 1] = caption.charAt(caption.length() - 1 - i);
        }
        ids[n + 1] = 49407;
        return ids;
    };

    private ShardReaderOptions options(int threads) {
        return options(threads, 1);
    }

    /** Four shards, shuffled, a buffer of 5, {@code interleave} of them read at a time. */
    private ShardReaderOptions options(int threads, int interleave) {
        return ShardReaderOptions.of(dir + "/{00000..00003}.tar").withSeed(7)
                .withShuffleShards(true).withShuffleBuffer(5).withReaderThreads(threads)
                .withInterleave(interleave);
    }

    private static ImageTransform training() {
        return ImageTransform.builder(4).optCrop(ImageTransform.Crop.RANDOM_RESIZED).build();
    }

    /** 13 samples in 4 shards; sample 5 has a JPEG whose data is cut behind a valid header. */
    private void writeShards() throws IOException {
        BufferedImage noisy = new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 128 * 128; i++) {
            noisy.setRGB(i % 128, i / 128, i * 7919);
        }
        byte[] jpeg = Fixtures.encode(noisy, "jpg");
        byte[] cutJpeg = Arrays.copyOf(jpeg, jpeg.length * 3 / 4); // header intact, scan cut
        try (ShardWriter w = new ShardWriter(dir, 4)) {
            for (int i = 0; i < 13; i++) {
                byte[] image = i == 5 ? cutJpeg : Fixtures.png(5 + i % 3, 6, 0x030507 * i);
                w.write(String.format("%03d", i), i == 5 ? "jpg" : "png", image,
                        "caption " + i, null);
            }
        }
    }

    @Test
    void deliversShapedBatchesEndlesslyAcrossEpochs() throws IOException {
        writeShards();
        try (ShardSource source = new ShardSource(options(2), training(), TOKENIZER, T)) {
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                ImageTextBatch batch = source.next(3);
                assertEquals(3, batch.size());
                assertEquals(3 * 3 * 4 * 4, batch.pixels().length);
                assertEquals(3 * T, batch.tokenIds().length);
                keys.addAll(batch.keys());
            }
            // 12 valid samples per epoch; 27 delivered means epochs 0 and 1 and part of 2.
            assertEquals(2, source.epoch());
            assertEquals(12, new HashSet<>(keys.subList(0, 12)).size());
            assertEquals(new HashSet<>(keys.subList(0, 12)), new HashSet<>(keys.subList(12, 24)));
            assertNotEquals(keys.subList(0, 12), keys.subList(12, 24));
            assertEquals(27 + 2, source.position()); // plus the cut JPEG, twice
            assertEquals(Map.of("corrupt_image", 2L), source.skipped());
        }
    }

    @Test
    void tokensArePaddedWithZeros() throws IOException {
        writeShards();
        try (ShardSource source = new ShardSource(ShardReaderOptions.of(dir + "/00000.tar"),
                ImageTransform.builder(2).build(), TOKENIZER, T)) {
            ImageTextBatch batch = source.next(1);
            assertEquals(List.of("000"), batch.keys());
            assertArrayEquals(new long[] {49406, '0', ' ', 'n', 'o', 49407},
                    batch.tokenIds());
        }
        try (ShardSource tooLong = new ShardSource(ShardReaderOptions.of(dir + "/00000.tar"),
                ImageTransform.builder(2).build(), c -> new long[T + 1], T)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> tooLong.next(1));
            assertTrue(e.getMessage().contains("contextLength 6"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "interleave {0}")
    @ValueSource(ints = {1, 3})
    void seekEqualsAFreshSourceAdvancedByTheSameCount(int interleave) throws IOException {
        writeShards();
        for (int p : new int[] {0, 1, 5, 6, 12, 13, 30}) {
            ImageTextBatch expected;
            try (ShardSource a = new ShardSource(options(1, interleave), training(), TOKENIZER,
                    T)) {
                while (a.position() < p) {
                    a.next(1);
                }
                if (a.position() != p) {
                    continue; // p was the cut JPEG's position: reachable only by seeking
                }
                expected = a.next(7);
            }
            try (ShardSource b = new ShardSource(options(3, interleave), training(), TOKENIZER,
                    T)) {
                b.next(2);
                b.seek(p);
                assertEquals(p, b.position());
                ImageTextBatch actual = b.next(7);
                assertEquals(expected.keys(), actual.keys(), "p = " + p);
                assertArrayEquals(expected.pixels(), actual.pixels(), "p = " + p);
                assertArrayEquals(expected.tokenIds(), actual.tokenIds(), "p = " + p);
            }
        }
    }

    @ParameterizedTest(name = "interleave {0}")
    @ValueSource(ints = {1, 3})
    void batchesDoNotDependOnBatchSizeOrThreads(int interleave) throws IOException {
        writeShards();
        float[] whole;
        List<String> wholeKeys;
        try (ShardSource a = new ShardSource(options(1, interleave), training(), TOKENIZER, T)) {
            ImageTextBatch batch = a.next(17);
            whole = batch.pixels();
            wholeKeys = batch.keys();
        }
        try (ShardSource b = new ShardSource(options(4, interleave), training(), TOKENIZER, T)) {
            List<String> keys = new ArrayList<>();
            float[] pixels = new float[whole.length];
            int offset = 0;
            for (int size : new int[] {5, 1, 11}) {
                ImageTextBatch batch = b.next(size);
                keys.addAll(batch.keys());
                System.arraycopy(batch.pixels(), 0, pixels, offset, batch.pixels().length);
                offset += batch.pixels().length;
            }
            assertEquals(wholeKeys, keys);
            assertArrayEquals(whole, pixels);
        }
    }

    @Test
    void decodeThreadsGiveTheSameBatchesAndSkips() throws IOException {
        writeShards();
        List<ImageTextBatch> one = new ArrayList<>();
        Map<String, Long> oneSkipped;
        try (ShardSource a = new ShardSource(options(1), training(), TOKENIZER, T)) {
            for (int size : new int[] {7, 9, 13}) {   // 29 pairs: 2 epochs, the cut JPEG twice
                one.add(a.next(size));
            }
            oneSkipped = a.skipped();
            assertEquals(Map.of("corrupt_image", 2L), oneSkipped);
        }
        try (ShardSource b = new ShardSource(options(2), training(), TOKENIZER, T, 3)) {
            for (int i = 0; i < one.size(); i++) {
                ImageTextBatch batch = b.next(one.get(i).size());
                assertEquals(one.get(i).keys(), batch.keys());
                assertArrayEquals(one.get(i).pixels(), batch.pixels());
                assertArrayEquals(one.get(i).tokenIds(), batch.tokenIds());
            }
            assertEquals(oneSkipped, b.skipped());
            assertEquals(31, b.position(), "29 pairs plus 2 failed decodes");
        }
    }

    @ParameterizedTest(name = "interleave {0}")
    @ValueSource(ints = {1, 3})
    void seekingBackToTheLastPositionRereadsNoShardAndCountsSkipsOnce(int interleave)
            throws IOException {
        writeShards();
        ImageTextBatch reference;
        Map<String, Long> referenceSkips;
        try (ShardSource b = new ShardSource(options(2, interleave), training(), TOKENIZER, T)) {
            b.next(4);
            reference = b.next(12);   // 16 pairs: into the second epoch, past the cut JPEG
            referenceSkips = b.skipped();
        }
        if (interleave == 1) {
            assertEquals(Map.of("corrupt_image", 1L), referenceSkips);
        }
        try (ShardSource a = new ShardSource(options(2, interleave), training(), TOKENIZER, T,
                2)) {
            a.next(4);
            long mark = a.position();
            ImageTextBatch first = a.next(12);
            long end = a.position();
            for (int i = 0; i < 4; i++) {   // a seek back must not need the files any more
                Files.delete(dir.resolve(String.format("%05d.tar", i)));
            }
            a.seek(mark);
            ImageTextBatch again = a.next(12);
            assertEquals(end, a.position());
            for (ImageTextBatch batch : List.of(first, again)) {
                assertEquals(reference.keys(), batch.keys());
                assertArrayEquals(reference.pixels(), batch.pixels());
                assertArrayEquals(reference.tokenIds(), batch.tokenIds());
            }
            assertEquals(referenceSkips, a.skipped(), "the replayed cut JPEG is not counted twice");
        }
    }

    @Test
    void failsWhenAnEpochHasNoValidSample() throws IOException {
        Files.write(dir.resolve("junk.tar"), new byte[] {1, 2, 3});
        try (ShardSource source = new ShardSource(
                ShardReaderOptions.of(dir + "/{junk,missing}.tar"), training(), TOKENIZER, T)) {
            IOException e = assertThrows(IOException.class, () -> source.next(1));
            assertTrue(e.getMessage().contains("no valid sample"), e.getMessage());
            assertTrue(e.getMessage().contains("unreadable_shard"), e.getMessage());
        }
    }
}
