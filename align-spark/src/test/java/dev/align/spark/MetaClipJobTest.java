package dev.align.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.curation.metaclip.BalanceDecision;
import dev.align.curation.metaclip.PairIds;
import dev.align.data.shards.Sample;
import dev.align.data.shards.ShardReader;
import dev.align.data.shards.ShardReaderOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetaClipJobTest {

    private static final long THRESHOLD = 25;
    private static final long SEED = 99;

    private static SparkSession spark;
    private static List<String> metadata;
    private static Map<String, String> pool;
    private static Map<String, BalanceDecision> local;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        spark = TestPools.session("MetaClipJobTest");
        List<String> vocabulary = TestPools.vocabulary(120);
        metadata = TestPools.metadata(vocabulary);
        pool = TestPools.captions(1200, vocabulary, 3);
        local = TestPools.localMetaClip(pool, metadata, THRESHOLD, SEED);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static List<String> keptKeys(Map<String, BalanceDecision> decisions) {
        return decisions.entrySet().stream().filter(e -> e.getValue().kept())
                .map(Map.Entry::getKey).sorted().toList();
    }

    @Test
    void writesDecisionsSummaryAndCuratedShardsThatAgreeWithTheLocalRun() throws IOException {
        List<String> shards = TestPools.writeShards(pool, tmp.resolve("in"), 250);
        String out = tmp.resolve("out").toString();
        MetaClipSummary summary = MetaClipJob.run(spark,
                PoolSpec.shards(tmp.resolve("in") + "/{00000..00004}.tar"), metadata, THRESHOLD,
                SEED, out, true);

        List<String> expectedKept = keptKeys(local);
        assertEquals(pool.size(), summary.pairs());
        assertEquals(expectedKept.size(), summary.kept());
        assertEquals(local.values().stream()
                .filter(d -> d.reason() == BalanceDecision.Reason.NO_MATCH).count(),
                summary.noMatch());
        assertEquals(pool.size(), summary.kept() + summary.noMatch() + summary.sampledOut());
        assertEquals(5, summary.partitions());

        // The parquet decisions, read back: every pair, its fields as the local balancer's.
        List<Row> rows = spark.read().parquet(out + "/decisions").collectAsList();
        assertEquals(pool.size(), rows.size());
        for (Row r : rows) {
            String key = r.getString(r.fieldIndex("key"));
            BalanceDecision d = local.get(key);
            assertEquals(d.kept(), r.getBoolean(r.fieldIndex("kept")), key);
            assertEquals(d.keepProbability(), r.getDouble(r.fieldIndex("keep_probability")), 0.0);
            assertEquals(d.keptByEntry(), r.getInt(r.fieldIndex("kept_by_entry")));
            assertEquals(d.reason().label(), r.getString(r.fieldIndex("reason")));
            assertEquals(PairIds.of(key), r.getLong(r.fieldIndex("pair_id")));
            List<Integer> entries = r.getList(r.fieldIndex("entries"));
            assertArrayEquals(dev.align.curation.metaclip.MetadataMatcher.build(metadata)
                    .match(pool.get(key)), entries.stream().mapToInt(Integer::intValue).toArray());
        }
        String json = Files.readString(Path.of(out, "summary.json"));
        assertTrue(json.contains("\"kept\" : " + expectedKept.size()), json);

        // The curated shards hold exactly the kept samples, in their original order.
        Path curated = Path.of(out, "shards");
        List<String> outShards = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            Path p = curated.resolve(String.format("%05d.tar", i));
            assertTrue(Files.exists(p), p.toString());
            outShards.add(p.toString());
        }
        List<String> read = new ArrayList<>();
        try (ShardReader reader = ShardReader.open(new ShardReaderOptions(outShards, 0, false, 0,
                1, 1L << 20, 1L << 20), 0)) {
            while (reader.hasNext()) {
                Sample s = reader.next();
                assertEquals(pool.get(s.key()), s.caption());
                read.add(s.key());
            }
        }
        assertEquals(expectedKept, read); // keys are zero-padded, so shard order = sorted order
        String sizes = Files.readString(curated.resolve("sizes.json"), StandardCharsets.UTF_8);
        assertTrue(sizes.contains("\"00000.tar\" : "), sizes);
    }

    @Test
    void parquetPoolWritesTheSameKeptSetAndRefusesCuratedShards() throws IOException {
        List<Row> list = new ArrayList<>();
        pool.forEach((k, c) -> list.add(RowFactory.create(k, c)));
        String table = tmp.resolve("pool.parquet").toString();
        spark.createDataFrame(list, new StructType().add("key", DataTypes.StringType)
                .add("caption", DataTypes.StringType)).write().parquet(table);
        String out = tmp.resolve("out-parquet").toString();
        MetaClipJob.run(spark, PoolSpec.parquet(table, 3), metadata, THRESHOLD, SEED, out, false);
        List<String> kept = spark.read().parquet(out + "/decisions").filter("kept")
                .select("key").collectAsList().stream().map(r -> r.getString(0)).sorted()
                .collect(Collectors.toList());
        assertEquals(keptKeys(local), kept);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetaClipJob.run(spark, PoolSpec.parquet(table, 0), metadata, THRESHOLD,
                        SEED, tmp.resolve("out2").toString(), true));
        assertTrue(e.getMessage().contains("only be written for a shard pool"), e.getMessage());
    }

    @Test
    void metadataWithABlankLineIsRejectedWithItsLineNumber() throws IOException {
        Path file = tmp.resolve("entries.txt");
        Files.writeString(file, "cat\ndog\n\nbird\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetaClipJob.readMetadata(file));
        assertTrue(e.getMessage().contains("entry 2 is empty"), e.getMessage());
        Files.writeString(file, "cat\ndog house\n");
        assertEquals(List.of("cat", "dog house"), MetaClipJob.readMetadata(file));
    }

}
