package dev.align.data.shards;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardReaderTest {

    @TempDir
    Path dir;

    @Test
    void groupsConsecutiveMembersByKeyUpToTheFirstDotOfTheFileName() throws IOException {
        byte[] png = Fixtures.png(2, 2, 0x102030);
        Path tar = Fixtures.rawTar(dir.resolve("s.tar"), Fixtures.members(
                "part.1/a.png", png, "part.1/a.seg.PNG", png, "part.1/a.txt", "first",
                "b.txt", "second", "b.jpg", Fixtures.png(1, 1, 0),
                "part.1/a.png", png, "part.1/a.txt", "again"));
        List<Sample> samples = Fixtures.readAll(ShardReaderOptions.of(tar.toString()), 0);
        assertEquals(List.of("part.1/a", "b", "part.1/a"), Fixtures.keys(samples));
        assertEquals(List.of("png", "seg.png", "txt"),
                new ArrayList<>(samples.get(0).members().keySet()));
        assertEquals("first", samples.get(0).caption());
        assertEquals("jpg", samples.get(1).imageExtension());
        assertEquals("again", samples.get(2).caption());
    }

    @Test
    void orderDependsOnSeedAndEpochButNotOnThreadCount() throws IOException {
        List<String> shards = Fixtures.writeShards(dir, 50, 5);
        ShardReaderOptions options = new ShardReaderOptions(shards, 42, true, 7, 1,
                1_000_000, 1 << 20);
        List<String> one = Fixtures.keys(Fixtures.readAll(options, 0));
        for (int threads : new int[] {2, 3, 8, 16}) {
            assertEquals(one, Fixtures.keys(Fixtures.readAll(
                    options.withReaderThreads(threads), 0)), threads + " threads");
        }
        assertEquals(50, one.size());
        List<String> epoch1 = Fixtures.keys(Fixtures.readAll(options.withReaderThreads(3), 1));
        assertNotEquals(one, epoch1);
        assertNotEquals(one, Fixtures.keys(Fixtures.readAll(options.withSeed(43), 0)));
        assertEquals(sorted(one), sorted(epoch1));
    }

    @Test
    void shardShuffleReordersWholeShards() throws IOException {
        List<String> shards = Fixtures.writeShards(dir, 20, 5);
        ShardReaderOptions options = ShardReaderOptions.of(dir + "/{00000..00003}.tar")
                .withShuffleShards(true).withSeed(3);
        try (ShardReader reader = ShardReader.open(options, 0)) {
            List<String> order = reader.shardOrder();
            assertNotEquals(shards, order);
            List<Sample> samples = new ArrayList<>();
            reader.forEachRemaining(samples::add);
            for (int i = 0; i < 20; i++) {
                assertEquals(order.get(i / 5), samples.get(i).shard());
            }
        }
    }

    @Test
    void shuffleBufferChangesTheOrderButNotTheMultiset() throws IOException {
        List<String> shards = Fixtures.writeShards(dir, 30, 10);
        ShardReaderOptions plain = new ShardReaderOptions(shards, 1, false, 0, 2, 1_000_000,
                1 << 20);
        List<String> inOrder = Fixtures.keys(Fixtures.readAll(plain, 0));
        List<String> shuffled = Fixtures.keys(Fixtures.readAll(plain.withShuffleBuffer(8), 0));
        assertEquals(sorted(inOrder), inOrder);
        assertNotEquals(inOrder, shuffled);
        assertEquals(inOrder, sorted(shuffled));
        assertEquals(shuffled, Fixtures.keys(Fixtures.readAll(plain.withShuffleBuffer(8), 0)));
        assertEquals(inOrder, Fixtures.keys(Fixtures.readAll(plain.withShuffleBuffer(1), 0)));
    }

    /**
     * Interleaving K shards: every sample of the epoch once, each shard's samples in their stored
     * order, the first samples drawn from K different shards, the same sequence for any number of
     * reader threads, and K = 1 the plain concatenation.
     */
    @Test
    void interleavingDrawsFromSeveralShardsAtOnceWhateverTheThreadCount() throws IOException {
        List<String> shards = Fixtures.writeShards(dir, 60, 10);
        ShardReaderOptions options = new ShardReaderOptions(shards, 9, true, 0, 1, 1_000_000,
                1 << 20, 4);
        List<Sample> samples = Fixtures.readAll(options, 0);
        List<String> keys = Fixtures.keys(samples);
        assertEquals(60, keys.size());
        assertEquals(sorted(keys), sorted(Fixtures.keys(Fixtures.readAll(options
                .withInterleave(1), 0))));
        for (String shard : shards) {                       // within a shard: stored order
            List<String> ofShard = samples.stream().filter(s -> s.shard().equals(shard))
                    .map(Sample::key).toList();
            assertEquals(sorted(ofShard), ofShard, shard);
        }
        assertEquals(4, samples.subList(0, 12).stream().map(Sample::shard).distinct().count(),
                "the first samples come from the 4 open shards");
        int switches = 0;
        for (int i = 1; i < samples.size(); i++) {
            switches += samples.get(i).shard().equals(samples.get(i - 1).shard()) ? 0 : 1;
        }
        assertTrue(switches > 30, "neighbours mostly come from different shards: " + switches);
        for (int threads : new int[] {2, 5, 16}) {
            assertEquals(keys, Fixtures.keys(Fixtures.readAll(options.withReaderThreads(threads),
                    0)), threads + " threads");
        }
        assertNotEquals(keys, Fixtures.keys(Fixtures.readAll(options, 1)), "epoch 1");
        try (ShardReader reader = ShardReader.open(options.withInterleave(1), 0)) {
            List<Sample> one = new ArrayList<>();
            reader.forEachRemaining(one::add);
            for (int i = 0; i < 60; i++) {
                assertEquals(reader.shardOrder().get(i / 10), one.get(i).shard());
            }
        }
    }

    @Test
    void interleavingMoreShardsThanThereAreReadsThemAll() throws IOException {
        List<String> shards = Fixtures.writeShards(dir, 7, 3);
        ShardReaderOptions options = ShardReaderOptions.of(dir + "/{00000..00002}.tar")
                .withInterleave(16).withShuffleBuffer(3).withSeed(2);
        assertEquals(3, shards.size());
        List<String> keys = Fixtures.keys(Fixtures.readAll(options, 0));
        assertEquals(List.of("000000", "000001", "000002", "000003", "000004", "000005",
                "000006"), sorted(keys));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> options.withInterleave(0));
        assertTrue(e.getMessage().contains("interleave must be in [1, 256]"), e.getMessage());
    }

    @Test
    void skipsAndCountsEveryKindOfBadSampleNamingShardAndKey() throws IOException {
        byte[] png = Fixtures.png(2, 2, 0xFFFFFF);
        byte[] notAnImage = Fixtures.utf8("<html>404</html>");
        byte[] brokenPng = Arrays.copyOf(png, 20); // signature, then a cut IHDR
        byte[] webp = Fixtures.utf8("RIFF\0\0\0\0WEBPVP8 ");
        Path tar = Fixtures.rawTar(dir.resolve("bad.tar"), Fixtures.members(
                "ok1.png", png, "ok1.txt", "fine",
                "../evil.txt", "x",
                "/etc/passwd.txt", "x",
                "noext", "x",
                "noimage.txt", "caption only",
                "nocap.png", png, "nocap.json", "{}",
                "empty.png", png, "empty.txt", " \n\t",
                "badutf.png", png, "badutf.txt", new byte[] {'a', (byte) 0xC3, '(', 'b'},
                "garbage.jpg", notAnImage, "garbage.txt", "x",
                "broken.png", brokenPng, "broken.txt", "x",
                "webp.webp", webp, "webp.txt", "x",
                "bomb.png", pngHeader(20_000, 20_000), "bomb.txt", "x",
                "ok2.png", png, "ok2.txt", "fine too"));
        List<Skip> skips = new ArrayList<>();
        // SLF4J's simple provider (the tests' binding) writes to whatever System.err is now
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        List<String> keys = new ArrayList<>();
        try (ShardReader reader = ShardReader.open(ShardReaderOptions.of(tar.toString()), 0,
                skips::add)) {
            reader.forEachRemaining(s -> keys.add(s.key()));
            assertEquals(List.of("ok1", "ok2"), keys);
            Map<String, Long> expected = new TreeMap<>(Map.of(
                    "unsafe_path", 2L, "no_extension", 1L, "missing_image", 1L,
                    "missing_caption", 1L, "empty_caption", 1L, "invalid_utf8", 1L,
                    "corrupt_image", 2L, "unsupported_image", 1L, "too_large", 1L));
            assertEquals(expected, reader.skipped());
        } finally {
            System.setErr(err);
        }
        List<String> warnings = captured.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("WARN") && l.contains("ShardReader")).toList();
        Map<String, String> keyByReason = new TreeMap<>();
        for (Skip s : skips) {
            keyByReason.merge(s.reason().key(), s.key(), (a, b) -> a + "," + b);
        }
        assertEquals("../evil.txt,/etc/passwd.txt", keyByReason.get("unsafe_path"));
        assertEquals("noimage", keyByReason.get("missing_image"));
        assertEquals("nocap", keyByReason.get("missing_caption"));
        assertEquals("empty", keyByReason.get("empty_caption"));
        assertEquals("badutf", keyByReason.get("invalid_utf8"));
        assertEquals("garbage,broken", keyByReason.get("corrupt_image"));
        assertEquals("webp", keyByReason.get("unsupported_image"));
        assertEquals("bomb", keyByReason.get("too_large"));
        assertEquals(skips.size(), warnings.size());
        for (int i = 0; i < skips.size(); i++) {
            String message = warnings.get(i);
            assertTrue(message.contains(tar.toString()), message);
            assertTrue(message.contains("'" + skips.get(i).key() + "'"), message);
            assertTrue(message.contains(skips.get(i).reason().key()), message);
        }
        assertTrue(skips.get(skips.size() - 1).detail().contains("400000000"),
                skips.get(skips.size() - 1).detail());
    }

    @Test
    void aMemberOverTheByteLimitIsSkippedWithoutBeingReadAndTheShardGoesOn() throws IOException {
        byte[] small = Fixtures.png(2, 2, 0x102030);
        java.awt.image.BufferedImage noise = new java.awt.image.BufferedImage(40, 40,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(3);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 40; x++) {
                noise.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        byte[] big = Fixtures.encode(noise, "png");
        assertTrue(big.length > 1000, big.length + " bytes");
        Path tar = Fixtures.rawTar(dir.resolve("big.tar"), Fixtures.members(
                "a.png", small, "a.txt", "first",
                "b.png", big, "b.txt", "second",
                "c.png", small, "c.txt", "third"));
        List<Skip> skips = new ArrayList<>();
        try (ShardReader reader = ShardReader.open(ShardReaderOptions.of(tar.toString())
                .withMaxMemberBytes(1000), 0, skips::add)) {
            List<Sample> samples = new ArrayList<>();
            reader.forEachRemaining(samples::add);
            assertEquals(List.of("a", "c"), Fixtures.keys(samples), "the shard goes on after it");
            assertEquals("third", samples.get(1).caption());
            // b lost its image, so it is also a sample without one.
            assertEquals(Map.of("oversized_member", 1L, "missing_image", 1L), reader.skipped());
        }
        Skip oversized = skips.get(0);
        assertEquals(SkipReason.OVERSIZED_MEMBER, oversized.reason());
        assertEquals("b", oversized.key());
        assertEquals("member b.png has " + big.length + " bytes, above the limit of 1000",
                oversized.detail());
        assertTrue(oversized.message().contains(tar.toString()), oversized.message());
    }

    /** A header that claims 8 GiB is refused from the header alone: nothing that large is read. */
    @Test
    void aHostileSizeInTheHeaderIsAnOversizedMemberNotAnAllocation() throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.rawTar(dir.resolve("t.tar"), Fixtures.members(
                "a.png", Fixtures.png(2, 2, 0), "a.txt", "fine", "b.png", Fixtures.png(2, 2, 0),
                "b.txt", "claims 8 GiB")));
        int header = indexOf(whole, Fixtures.utf8("b.txt"));
        // Base-256 size (the form GNU tar uses past 8 GiB): 0x80, then the size big-endian.
        whole[header + 124] = (byte) 0x80;
        Arrays.fill(whole, header + 125, header + 136, (byte) 0);
        whole[header + 131] = 2;                             // 2 << 32 = 8 GiB
        ShardReaderFuzzTest.fixChecksum(whole, header);
        Path hostile = dir.resolve("hostile.tar");
        Files.write(hostile, whole);
        List<Skip> skips = new ArrayList<>();
        try (ShardReader reader = ShardReader.open(ShardReaderOptions.of(hostile.toString()), 0,
                skips::add)) {
            List<Sample> samples = new ArrayList<>();
            reader.forEachRemaining(samples::add);
            assertEquals(List.of("a"), Fixtures.keys(samples));
        }
        assertEquals(SkipReason.OVERSIZED_MEMBER, skips.get(0).reason());
        assertTrue(skips.get(0).detail().contains("has 8589934592 bytes, above the limit of "
                + ShardReaderOptions.DEFAULT_MAX_MEMBER_BYTES), skips.get(0).detail());
        // Skipping 8 GiB runs off the end of the file: the rest of the shard is lost, as it is.
        assertEquals(SkipReason.TRUNCATED_SHARD, skips.get(skips.size() - 1).reason());
    }

    @Test
    void aSecondMemberWithTheSameExtensionIsSkippedAndTheFirstKept() throws IOException {
        byte[] first = Fixtures.png(2, 2, 0x112233);
        byte[] second = Fixtures.png(3, 3, 0x445566);
        Path tar = Fixtures.rawTar(dir.resolve("dup.tar"), Fixtures.members(
                "d.png", first, "d.png", second, "d.txt", "kept caption", "d.TXT", "other caption",
                "e.png", first, "e.txt", "next"));
        List<Skip> skips = new ArrayList<>();
        try (ShardReader reader = ShardReader.open(ShardReaderOptions.of(tar.toString()), 0,
                skips::add)) {
            List<Sample> samples = new ArrayList<>();
            reader.forEachRemaining(samples::add);
            assertEquals(List.of("d", "e"), Fixtures.keys(samples));
            assertArrayEquals(first, samples.get(0).image(), "the first image is kept");
            assertEquals("kept caption", samples.get(0).caption(),
                    "extensions compare without case: d.TXT repeats d.txt");
            assertEquals(Map.of("duplicate_member", 2L), reader.skipped());
        }
        assertEquals(List.of(SkipReason.DUPLICATE_MEMBER, SkipReason.DUPLICATE_MEMBER),
                skips.stream().map(Skip::reason).toList());
        assertEquals("d", skips.get(0).key());
        assertEquals("second member with extension png ignored", skips.get(0).detail());
        assertEquals("second member with extension txt ignored", skips.get(1).detail());
    }

    @Test
    void pixelLimitIsConfigurable() throws IOException {
        Path tar = Fixtures.rawTar(dir.resolve("s.tar"), Fixtures.members(
                "small.png", Fixtures.png(3, 3, 0), "small.txt", "x",
                "large.png", Fixtures.png(4, 3, 0), "large.txt", "x"));
        try (ShardReader reader = ShardReader.open(
                ShardReaderOptions.of(tar.toString()).withMaxImagePixels(9), 0)) {
            assertEquals("small", reader.next().key());
            assertTrue(!reader.hasNext());
            assertEquals(Map.of("too_large", 1L), reader.skipped());
        }
    }

    @Test
    void truncatedShardKeepsTheSamplesBeforeTheCut() throws IOException {
        List<String> shards = Fixtures.writeShards(dir.resolve("w"), 6, 10);
        byte[] whole = Files.readAllBytes(Path.of(shards.get(0)));
        // Cut 3 bytes into the caption of sample 000003 (members: .json, .png, .txt).
        int header = indexOf(whole, Fixtures.utf8("000003.txt"));
        Path cut = dir.resolve("cut.tar");
        Files.write(cut, Arrays.copyOf(whole, header + 512 + 3));
        Path cutInHeader = dir.resolve("cut-header.tar");
        Files.write(cutInHeader, Arrays.copyOf(whole, header + 100));
        Path missing = dir.resolve("missing.tar");
        List<Skip> skips = new ArrayList<>();
        try (ShardReader reader = ShardReader.open(new ShardReaderOptions(
                List.of(cut.toString(), missing.toString(), cutInHeader.toString()), 0, false,
                0, 2, 1_000_000, 1 << 20), 0, skips::add)) {
            List<String> keys = new ArrayList<>();
            reader.forEachRemaining(s -> keys.add(s.key()));
            assertEquals(List.of("000000", "000001", "000002", "000000", "000001", "000002"),
                    keys);
            assertEquals(Map.of("truncated_shard", 2L, "unreadable_shard", 1L),
                    reader.skipped());
        }
        assertEquals("000003", skips.get(0).key());
        assertEquals(cut.toString(), skips.get(0).shard());
        assertEquals(missing.toString(), skips.get(1).shard());
    }

    /** A PNG signature and IHDR chunk claiming {@code w x h}, with no pixel data at all. */
    static byte[] pngHeader(int w, int h) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer chunk = ByteBuffer.allocate(17);
        chunk.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(w).putInt(h)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(chunk.array());
        out.writeBytes(ByteBuffer.allocate(4).putInt(13).array());
        out.writeBytes(chunk.array());
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    private static List<String> sorted(List<String> keys) {
        List<String> copy = new ArrayList<>(keys);
        copy.sort(null);
        return copy;
    }
}
