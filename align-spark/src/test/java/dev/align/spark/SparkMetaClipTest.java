package dev.align.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.curation.metaclip.BalanceDecision;
import dev.align.curation.metaclip.EntryCounts;
import dev.align.curation.metaclip.MetadataMatcher;
import dev.align.curation.metaclip.PairIds;
import dev.align.data.image.ImageDecoder;
import dev.align.data.shards.Sample;
import dev.align.data.shards.ShardReader;
import dev.align.data.shards.ShardReaderOptions;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkMetaClipTest {

    private static final long THRESHOLD = 40;
    private static final long SEED = 20240607L;
    private static final StructType POOL_SCHEMA = new StructType()
            .add("key", DataTypes.StringType, true)
            .add("caption", DataTypes.StringType, true)
            .add("url", DataTypes.StringType, true);

    private static SparkSession spark;
    private static List<String> vocabulary;
    private static List<String> metadata;
    private static Map<String, String> pool;
    private static Map<String, BalanceDecision> local;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        spark = TestPools.session("SparkMetaClipTest");
        vocabulary = TestPools.vocabulary(200);
        metadata = TestPools.metadata(vocabulary);
        pool = TestPools.captions(3000, vocabulary, 7);
        local = TestPools.localMetaClip(pool, metadata, THRESHOLD, SEED);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static Map<String, MetaClipOutcome> collect(MetaClipRun run) {
        Map<String, MetaClipOutcome> byKey = new HashMap<>();
        for (MetaClipOutcome o : run.outcomes().collect()) {
            assertEquals(null, byKey.put(o.key(), o), "key decided twice: " + o.key());
        }
        return byKey;
    }

    /** Every decision field, and the matched entries, equal the local run's. */
    private static void assertSameAsLocal(Map<String, BalanceDecision> expected,
            Map<String, String> captions, Map<String, MetaClipOutcome> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        MetadataMatcher matcher = MetadataMatcher.build(metadata);
        for (Map.Entry<String, BalanceDecision> e : expected.entrySet()) {
            MetaClipOutcome o = actual.get(e.getKey());
            assertEquals(e.getValue(), o.decision(), e.getKey());
            assertEquals(PairIds.of(e.getKey()), o.pairId());
            assertArrayEquals(matcher.match(captions.get(e.getKey())), o.entries(), e.getKey());
        }
    }

    private String writeTable(Map<String, String> rows, String name) {
        List<Row> list = new ArrayList<>();
        rows.forEach((k, c) -> list.add(RowFactory.create(k, c, "http://example.invalid/" + k)));
        String path = tmp.resolve(name).toString();
        spark.createDataFrame(list, POOL_SCHEMA).coalesce(2).write().parquet(path);
        return path;
    }

    @Test
    void parquetPoolGivesTheLocalDecisionsForAnyPartitionCount() {
        String table = writeTable(pool, "pool.parquet");
        long kept = local.values().stream().filter(BalanceDecision::kept).count();
        // The pool exercises every outcome, or the comparison would prove little.
        for (BalanceDecision.Reason r : BalanceDecision.Reason.values()) {
            assertTrue(local.values().stream().anyMatch(d -> d.reason() == r), r.toString());
        }
        assertTrue(kept > 300 && kept < 2700, "kept " + kept);
        for (int partitions : new int[] {1, 3, 7}) {
            try (MetaClipRun run = SparkMetaClip.curate(Pools.parquet(spark, table, partitions),
                    metadata, THRESHOLD, SEED)) {
                assertSameAsLocal(local, pool, collect(run));
                List<int[]> matches = MetadataMatcher.build(metadata)
                        .matchAll(new ArrayList<>(pool.values()), 1);
                assertEquals(EntryCounts.count(metadata.size(), matches), run.counts());
                assertEquals(pool.size(), run.pairs());
                assertEquals(matches.stream().filter(m -> m.length == 0).count(), run.noMatch());
                assertEquals(Map.of(), run.skips());
            }
        }
    }

    @Test
    void anotherSeedKeepsAnotherSet() {
        String table = writeTable(pool, "pool-seed.parquet");
        try (MetaClipRun run = SparkMetaClip.curate(Pools.parquet(spark, table, 2), metadata,
                THRESHOLD, SEED + 1)) {
            Map<String, MetaClipOutcome> other = collect(run);
            assertSameAsLocal(TestPools.localMetaClip(pool, metadata, THRESHOLD, SEED + 1), pool,
                    other);
            long differ = local.keySet().stream()
                    .filter(k -> local.get(k).kept() != other.get(k).kept()).count();
            assertNotEquals(0, differ);
        }
    }

    @Test
    void nullCaptionsAndKeysAreSkippedAndCounted() {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("a", "w0 w1 w2");
        rows.put("b", null);
        rows.put(null, "w3");
        rows.put("c", "w1.");
        String table = writeTable(rows, "nulls.parquet");
        try (MetaClipRun run = SparkMetaClip.curate(Pools.parquet(spark, table, 0), metadata,
                THRESHOLD, SEED)) {
            assertEquals(Map.of(Pools.NULL_CAPTION, 1L, Pools.NULL_KEY, 1L), run.skips());
            assertEquals(2, run.pairs());
            assertEquals(List.of("a", "c"), run.outcomes().map(MetaClipOutcome::key)
                    .collect().stream().sorted().toList());
        }
    }

    @Test
    void tableWithoutCaptionColumnIsRejectedWithItsColumns() {
        String path = tmp.resolve("nocaption.parquet").toString();
        spark.createDataFrame(List.of(RowFactory.create("a", "b")), new StructType()
                .add("key", DataTypes.StringType).add("text", DataTypes.StringType))
                .write().parquet(path);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pools.parquet(spark, path, 0));
        assertTrue(e.getMessage().contains("no column 'caption'")
                && e.getMessage().contains("[key, text]"), e.getMessage());
    }

    @Test
    void shardPoolGivesTheLocalDecisionsAndSkips() throws IOException {
        List<String> shards = new ArrayList<>(TestPools.writeShards(pool, tmp.resolve("shards"),
                400));
        shards.add(brokenShard(tmp.resolve("broken.tar")).toString());
        shards.add(truncatedShard(tmp.resolve("truncated")).toString());

        // The local run reads the same shards with the same reader, in order, on one thread.
        Map<String, String> read = new LinkedHashMap<>();
        Map<String, Long> localSkips;
        ShardReaderOptions options = new ShardReaderOptions(shards, 0, false, 0, 1,
                ImageDecoder.DEFAULT_MAX_PIXELS, ShardReaderOptions.DEFAULT_MAX_MEMBER_BYTES);
        try (ShardReader reader = ShardReader.open(options, 0)) {
            while (reader.hasNext()) {
                Sample s = reader.next();
                read.put(s.key(), s.caption());
            }
            localSkips = reader.skipped();
        }
        assertEquals(3, localSkips.size(), localSkips.toString()); // the test's own premise
        Map<String, BalanceDecision> expected =
                TestPools.localMetaClip(read, metadata, THRESHOLD, SEED);

        try (MetaClipRun run = SparkMetaClip.curate(Pools.shards(spark, shards), metadata,
                THRESHOLD, SEED)) {
            Map<String, MetaClipOutcome> actual = collect(run);
            assertSameAsLocal(expected, read, actual);
            assertEquals(localSkips, run.skips());
            assertTrue(actual.get("s000001").shard().endsWith("00000.tar"));
        }
    }

    /** A shard whose samples lack a caption, have a non-UTF-8 caption, or are fine. */
    private static Path brokenShard(Path file) throws IOException {
        byte[] png = TestPools.tinyPng(0x123456);
        try (OutputStream out = Files.newOutputStream(file);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            put(tar, "nocap.png", png);
            put(tar, "badutf.png", png);
            put(tar, "badutf.txt", new byte[] {'w', '0', ' ', (byte) 0xC3, (byte) 0x28});
            put(tar, "fine.png", png);
            put(tar, "fine.txt", "w0 w2 Word3".getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] data)
            throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(data.length);
        tar.putArchiveEntry(entry);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    /** Five samples cut in the middle of the third. */
    private static Path truncatedShard(Path dir) throws IOException {
        Map<String, String> five = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            five.put("t" + i, "w" + i + " w" + (i + 1));
        }
        Path shard = Path.of(TestPools.writeShards(five, dir, 100).get(0));
        byte[] bytes = Files.readAllBytes(shard);
        Path cut = dir.resolve("cut.tar");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length * 11 / 20));
        return cut;
    }

    @Test
    void aFailedCountReleasesTheCachedMatches() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Set<Integer> before = Set.copyOf(sc.getPersistentRDDs().keySet());
        List<PoolRecord> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            records.add(PoolRecord.pair(null, "k" + i, i == 23 ? "boom" : "w1 w2"));
        }
        JavaRDD<PoolRecord> failing = sc.parallelize(records, 3).map(r -> {
            if (r.caption().equals("boom")) {
                throw new IllegalStateException("an executor failure on " + r.key());
            }
            return r;
        });
        // Spark throws its checked SparkException without declaring it.
        Exception e = assertThrows(Exception.class,
                () -> SparkMetaClip.curate(failing, List.of("w1"), 5, 1));
        assertTrue(String.valueOf(e.getMessage()).contains("an executor failure on k23"),
                e.getMessage());
        assertEquals(before, sc.getPersistentRDDs().keySet());
    }
}
