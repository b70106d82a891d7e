package dev.align.data.shards;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardWriterTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsThroughTheReader() throws IOException {
        List<String> shards = Fixtures.writeShards(dir, 7, 3);
        assertEquals(3, shards.size());
        List<Sample> samples = Fixtures.readAll(
                ShardReaderOptions.of(dir + "/{00000..00002}.tar"), 0);
        assertEquals(7, samples.size());
        for (int i = 0; i < 7; i++) {
            Sample s = samples.get(i);
            assertEquals(String.format("%06d", i), s.key());
            assertEquals("caption number " + i, s.caption());
            assertEquals("png", s.imageExtension());
            assertArrayEquals(Fixtures.png(3 + i % 4, 2 + i % 3, 0x010203 * (i % 80)), s.image());
            assertEquals("{\"i\":" + i + "}", new String(s.members().get("json"), "UTF-8"));
            assertEquals(shards.get(i / 3), s.shard());
        }
    }

    @Test
    void writesSizesAndStatsAndNoTemporaryFiles() throws IOException {
        Fixtures.writeShards(dir, 5, 2);
        @SuppressWarnings("unchecked")
        Map<String, Object> sizes = Json.mapper().readValue(
                dir.resolve("sizes.json").toFile(), Map.class);
        assertEquals(Map.of("00000.tar", 2, "00001.tar", 2, "00002.tar", 1), sizes);
        ShardWriterStats stats = Json.read(dir.resolve("stats.json"), ShardWriterStats.class);
        assertEquals(3, stats.shards());
        assertEquals(5, stats.samples());
        assertEquals(5, stats.jsonMembers());
        assertEquals(Map.of("png", 5L), stats.imagesByExtension());
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void writesSortedMembersWithFixedMetadata() throws IOException {
        try (ShardWriter w = new ShardWriter(dir, 10)) {
            w.write("k", "webp", new byte[] {1, 2}, "a cat", "{}");
        }
        List<String> names = new ArrayList<>();
        try (InputStream in = Files.newInputStream(dir.resolve("00000.tar"));
                TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                names.add(e.getName());
                assertEquals(0, e.getModTime().getTime());
                assertEquals(0, e.getLongUserId());
                assertEquals(0, e.getLongGroupId());
                assertEquals("", e.getUserName());
                assertEquals(0644, e.getMode() & 0777);
            }
        }
        assertEquals(List.of("k.json", "k.txt", "k.webp"), names);
    }

    @Test
    void sameSamplesGiveIdenticalBytes() throws IOException {
        Fixtures.writeShards(dir.resolve("a"), 4, 3);
        Fixtures.writeShards(dir.resolve("b"), 4, 3);
        for (String f : List.of("00000.tar", "00001.tar", "sizes.json", "stats.json")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(f)),
                    Files.readAllBytes(dir.resolve("b").resolve(f)), f);
        }
    }

    @Test
    void rejectsBadKeysAndExtensions() throws IOException {
        try (ShardWriter w = new ShardWriter(dir, 10)) {
            byte[] img = {1};
            for (String key : List.of("", "a.b", "../a", "/a", "a/", "a//b", "x".repeat(91))) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> w.write(key, "png", img, "c", null), key);
                assertTrue(e.getMessage().contains("key"), e.getMessage());
            }
            assertThrows(IllegalArgumentException.class, () -> w.write("a", "gif", img, "c", null));
            w.write("a", "png", img, "c", null);
            IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                    () -> w.write("a", "png", img, "c", null));
            assertTrue(dup.getMessage().contains("already"), dup.getMessage());
        }
    }
}
