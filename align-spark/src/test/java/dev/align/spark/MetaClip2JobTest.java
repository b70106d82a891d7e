package dev.align.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align.core.json.Json;
import dev.align.curation.metaclip.PairIds;
import dev.align.curation.pipeline.CurationConfig;
import dev.align.curation.pipeline.CurationPipeline;
import dev.align.curation.pipeline.CurationSummary;
import dev.align.curation.pipeline.StepSyntax;
import dev.align.curation.worldwide.WorldwideMetadata;
import dev.align.data.shards.Sample;
import dev.align.data.shards.ShardReader;
import dev.align.data.shards.ShardReaderOptions;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
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

/**
 * MetaCLIP 2 on Spark writes what the local {@code metaclip2} step writes for the same pool:
 * every pair's language, threshold and decision, {@code languages.json} byte for byte, and the
 * same kept samples.
 */
class MetaClip2JobTest {

    private static final long T = 12;
    private static final long SEED = 7;

    private static SparkSession spark;
    private static Map<String, String[]> pool;
    private static String pattern;
    private static Path metadata;
    private static Path localOut;
    private static CurationSummary local;
    private static Map<String, JsonNode> localDecisions;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws IOException {
        spark = TestPools.session("MetaClip2JobTest");
        pool = TestPools.multilingual(700, 5);
        List<String> shards = TestPools.writeMultilingualShards(pool, tmp.resolve("in"), 150);
        assertEquals(5, shards.size());
        pattern = tmp.resolve("in") + "/{00000..00004}.tar";
        metadata = tmp.resolve("metadata");
        WorldwideMetadata.write(TestPools.worldwideMetadata(), metadata);
        localOut = tmp.resolve("local");
        local = new CurationPipeline(CurationConfig.of(StepSyntax.parse("metaclip2:metadata="
                + metadata + ",t=" + T + ",seed=" + SEED)),
                new PrintStream(OutputStream.nullOutputStream())).run(pattern, localOut);
        localDecisions = new HashMap<>();
        for (String line : Files.readAllLines(localOut.resolve(CurationPipeline.DECISIONS))) {
            JsonNode d = Json.mapper().readTree(line);
            localDecisions.put(d.get("key").asText(), d);
        }
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static List<String> localKept() {
        return localDecisions.values().stream().filter(d -> d.get("kept").asBoolean())
                .map(d -> d.get("key").asText()).sorted().toList();
    }

    @Test
    void writesTheLocalStepsDecisionsLanguagesAndKeptSamples() throws IOException {
        String out = tmp.resolve("spark").toString();
        MetaClip2Summary summary = MetaClip2Job.run(spark, PoolSpec.shards(pattern),
                WorldwideMetadata.read(metadata), T, SEED, out, true);

        // The pool is not trivial: every language balanced, and all outcomes occur.
        assertEquals(4, summary.thresholds().size(), summary.thresholds().toString());
        assertNotEquals(summary.thresholds().get("en"), summary.thresholds().get("de"));
        assertTrue(summary.kept() > 0 && summary.noMatch() > 0 && summary.sampledOut() > 0,
                summary.toString());

        assertEquals(local.pairsIn(), summary.pairs());
        assertEquals(700, summary.pairs());
        assertEquals(local.pairsOut(), summary.kept());
        assertEquals(local.skipped(), summary.skipped());
        assertEquals(Map.of("corrupt_image", 1L, "empty_caption", 1L), summary.skipped());
        assertEquals(localDecisions.values().stream()
                .filter(d -> d.get("reason").asText().equals("no_match")).count(),
                summary.noMatch());
        assertEquals(5, summary.partitions());
        assertEquals(T, summary.englishThreshold());
        assertEquals(T, summary.thresholds().get("en"));

        List<Row> rows = spark.read().parquet(out + "/decisions").collectAsList();
        assertEquals(700, rows.size());
        Set<String> sources = new java.util.HashSet<>();
        for (Row r : rows) {
            String key = r.getString(r.fieldIndex("key"));
            JsonNode d = localDecisions.get(key);
            assertEquals(d.get("shard").asText(), r.getString(r.fieldIndex("shard")), key);
            assertEquals(PairIds.of(key), r.getLong(r.fieldIndex("pair_id")), key);
            assertEquals(d.get("lang").isNull() ? null : d.get("lang").asText(),
                    r.getString(r.fieldIndex("lang")), key);
            assertEquals(d.get("langSource").asText(), r.getString(r.fieldIndex("lang_source")),
                    key);
            assertEquals(d.get("t").asLong(), r.getLong(r.fieldIndex("t")), key);
            assertEquals(d.get("kept").asBoolean(), r.getBoolean(r.fieldIndex("kept")), key);
            assertEquals(d.get("reason").asText(), r.getString(r.fieldIndex("reason")), key);
            assertEquals(d.get("keepProbability").asDouble(),
                    r.getDouble(r.fieldIndex("keep_probability")), 0.0, key);
            assertEquals(d.get("keptByEntry").asInt(), r.getInt(r.fieldIndex("kept_by_entry")),
                    key);
            int[] expected = new int[d.get("entries").size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = d.get("entries").get(i).asInt();
            }
            List<Integer> entries = r.getList(r.fieldIndex("entries"));
            assertArrayEquals(expected, entries.stream().mapToInt(Integer::intValue).toArray(),
                    key);
            sources.add(r.getString(r.fieldIndex("lang_source")));
        }
        assertEquals(Set.of("identified", "recorded", "none"), sources);

        assertEquals(Files.readString(localOut.resolve(CurationPipeline.LANGUAGES)),
                Files.readString(Path.of(out, MetaClip2Job.LANGUAGES)));
        JsonNode languages = Json.mapper().readTree(Path.of(out, MetaClip2Job.LANGUAGES).toFile());
        assertEquals(summary.tailShare(), languages.get("tailShare").asDouble(), 0.0);

        // The curated shards hold the local run's kept samples, .json (the language) included.
        Map<String, String> sparkKept = readKept(Path.of(out, "shards"));
        Map<String, String> localKept = readKept(localOut.resolve(CurationPipeline.SHARDS));
        assertEquals(localKept, sparkKept);
        assertEquals(localKept(), new ArrayList<>(new TreeMap<>(sparkKept).keySet()));
    }

    /** Key to caption and .json of every sample in a folder of shards. */
    private static Map<String, String> readKept(Path dir) throws IOException {
        List<String> files;
        try (var list = Files.list(dir)) {
            files = list.map(Path::toString).filter(p -> p.endsWith(".tar")).sorted().toList();
        }
        Map<String, String> out = new HashMap<>();
        try (ShardReader reader = ShardReader.open(new ShardReaderOptions(files, 0, false, 0, 1,
                1L << 20, 1L << 20), 0)) {
            while (reader.hasNext()) {
                Sample s = reader.next();
                byte[] json = s.members().get("json");
                out.put(s.key(), s.caption() + "|" + (json == null ? null
                        : new String(json, StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    @Test
    void aParquetPoolWithALangColumnKeepsTheSameSetForAnyPartitioning() throws IOException {
        List<Row> list = new ArrayList<>();
        pool.forEach((k, v) -> list.add(RowFactory.create(k, v[0], v[1])));
        String table = tmp.resolve("pool.parquet").toString();
        spark.createDataFrame(list, new StructType().add("key", DataTypes.StringType)
                .add("caption", DataTypes.StringType).add("lang", DataTypes.StringType))
                .write().parquet(table);
        for (int partitions : new int[] {1, 3}) {
            String out = tmp.resolve("parquet-" + partitions).toString();
            MetaClip2Summary s = MetaClip2Job.run(spark, PoolSpec.parquet(table, partitions),
                    WorldwideMetadata.read(metadata), T, SEED, out, false);
            assertEquals(700, s.pairs());
            List<String> kept = spark.read().parquet(out + "/decisions").filter("kept")
                    .select("key").collectAsList().stream().map(r -> r.getString(0)).sorted()
                    .collect(Collectors.toList());
            assertEquals(localKept(), kept);
            assertEquals(Files.readString(localOut.resolve(CurationPipeline.LANGUAGES)),
                    Files.readString(Path.of(out, MetaClip2Job.LANGUAGES)));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetaClip2Job.run(spark, PoolSpec.parquet(table, 0),
                        WorldwideMetadata.read(metadata), T, SEED,
                        tmp.resolve("no-shards").toString(), true));
        assertTrue(e.getMessage().contains("only be written for a shard pool"), e.getMessage());
    }

    @Test
    void leavesNoPersistedRddBehindWhenItSucceedsOrFails() throws IOException {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Set<Integer> before = Set.copyOf(sc.getPersistentRDDs().keySet());
        MetaClip2Job.run(spark, PoolSpec.shards(pattern), WorldwideMetadata.read(metadata), T,
                SEED, tmp.resolve("leak").toString(), false);
        assertEquals(before, sc.getPersistentRDDs().keySet());

        // Without English metadata there is no tail share: the run fails after counting.
        Map<String, List<String>> noEnglish = new TreeMap<>(WorldwideMetadata.read(metadata));
        noEnglish.remove("en");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetaClip2Job.run(spark, PoolSpec.shards(pattern), noEnglish, T, SEED,
                        tmp.resolve("leak-fail").toString(), false));
        assertTrue(e.getMessage().contains("no English caption matched"), e.getMessage());
        assertEquals(before, sc.getPersistentRDDs().keySet());
    }
}
