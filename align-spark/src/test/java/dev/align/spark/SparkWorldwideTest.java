package dev.align.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.curation.metaclip.PairIds;
import dev.align.curation.worldwide.WorldwideCuration;
import dev.align.curation.worldwide.WorldwideMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MetaCLIP 2 on Spark decides every pair as the local library does, for any partitioning. */
class SparkWorldwideTest {

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestPools.session("SparkWorldwideTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void givesTheLocalDecisionsForAnyPartitionCount() {
        String[][] texts = {{"en", "red apple"}, {"en", "dog face"}, {"en", "red heart"},
            {"en", "red dog"}, {"de", "roter Apfel"}, {"de", "Hundegesicht"}, {"ja", "赤いリンゴ"},
            {"ja", "犬の顔"}, {"th", "แอปเปิ้ลแดง"}, {"th", "หน้าสุนัข"}};
        Map<String, List<String>> metadata = Map.of(
                "en", List.of("red", "apple", "dog", "face", "heart"),
                "de", List.of("roter", "Apfel", "Hundegesicht"),
                "ja", List.of("リンゴ", "犬", "顔", "赤い"),
                "th", List.of("แอปเปิ้ล", "หน้า", "สุนัข"));
        List<SparkWorldwide.Pair> pairs = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        List<String> langs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String[] t = texts[(i * 7) % texts.length];
            String lang = t[0].equals("ja") && i % 3 == 0 ? null : t[0];
            pairs.add(new SparkWorldwide.Pair("s", "k" + i, t[1], lang));
            captions.add(t[1]);
            langs.add(lang);
        }
        long[] ids = pairs.stream().mapToLong(p -> PairIds.of(p.key())).toArray();
        WorldwideCuration.Result local = WorldwideCuration.curate(captions, langs, ids,
                WorldwideMatcher.build(metadata), 40, 9);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        for (int partitions : new int[] {1, 3, 7}) {
            JavaRDD<SparkWorldwide.Pair> rdd = sc.parallelize(pairs, partitions);
            try (SparkWorldwide.Run run = SparkWorldwide.curate(rdd, metadata, 40, 9)) {
                assertEquals(local.balancer().thresholds(), run.thresholds());
                assertEquals(local.balancer().tailShare(), run.tailShare(), 0);
                assertEquals(pairs.size(), run.pairs());
                Map<String, SparkWorldwide.Outcome> byKey = new HashMap<>();
                for (SparkWorldwide.Outcome o : run.outcomes().collect()) {
                    byKey.put(o.key(), o);
                }
                assertEquals(pairs.size(), byKey.size());
                for (int i = 0; i < pairs.size(); i++) {
                    SparkWorldwide.Outcome o = byKey.get("k" + i);
                    assertEquals(local.decisions().get(i), o.decision(), "pair " + i);
                    assertArrayEquals(local.matches().get(i), o.entries());
                }
            }
        }
        assertEquals(Map.of(), sc.getPersistentRDDs(), "a closed run leaves nothing cached");
    }

    @Test
    void aFailedCountReleasesTheCachedMatches() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<SparkWorldwide.Pair> pairs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            pairs.add(new SparkWorldwide.Pair("s", "k" + i, i == 37 ? "boom" : "red apple", "en"));
        }
        JavaRDD<SparkWorldwide.Pair> failing = sc.parallelize(pairs, 3).map(p -> {
            if (p.caption().equals("boom")) {
                throw new IllegalStateException("an executor failure on " + p.key());
            }
            return p;
        });
        // Spark throws its checked SparkException without declaring it.
        Exception e = assertThrows(Exception.class, () -> SparkWorldwide.curate(
                failing, Map.of("en", List.of("red", "apple")), 5, 1));
        assertTrue(String.valueOf(e.getMessage()).contains("an executor failure on k37"),
                e.getMessage());
        assertEquals(Map.of(), sc.getPersistentRDDs());
    }

    @Test
    void aTableWithoutALangColumnIsCuratedByScriptAlone() {
        List<Row> rows = new ArrayList<>();
        rows.add(RowFactory.create("a", "red apple"));
        rows.add(RowFactory.create("b", "赤いリンゴ"));
        rows.add(RowFactory.create("c", null));
        rows.add(RowFactory.create(null, "red"));
        Dataset<Row> table = spark.createDataFrame(rows, new StructType()
                .add("key", DataTypes.StringType).add("caption", DataTypes.StringType));
        List<SparkWorldwide.Pair> pairs = SparkWorldwide.table(table, "t", 2).collect();
        assertEquals(4, pairs.size());
        Map<String, SparkWorldwide.Pair> byKey = new HashMap<>();
        pairs.forEach(p -> byKey.put(p.key(), p));
        assertEquals(new SparkWorldwide.Pair(null, "a", "red apple", null), byKey.get("a"));
        assertEquals(Pools.NULL_CAPTION, byKey.get("c").skip());
        assertEquals(Pools.NULL_KEY, byKey.get("").skip());
        try (SparkWorldwide.Run run = SparkWorldwide.curate(SparkWorldwide.table(table, "t", 2),
                Map.of("en", List.of("red", "apple"), "ja", List.of("リンゴ")), 1, 0)) {
            assertEquals(2, run.pairs());
            assertEquals(Map.of("null_caption", 1L, "null_key", 1L), run.skips());
            Map<String, String> languages = new HashMap<>();
            run.outcomes().collect().forEach(o -> languages.put(o.key(), o.language()
                    + "/" + o.languageSource().label()));
            // Latin names English, the only Latin language with metadata; kana names Japanese.
            assertEquals(Map.of("a", "en/identified", "b", "ja/identified"), languages);
        }

        Dataset<Row> badLang = spark.createDataFrame(List.of(RowFactory.create("a", "x", 3)),
                new StructType().add("key", DataTypes.StringType)
                        .add("caption", DataTypes.StringType).add("lang", DataTypes.IntegerType));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkWorldwide.table(badLang, "pool.parquet", 0));
        assertTrue(e.getMessage().contains("column 'lang' of pool.parquet is int; it must be a "
                + "string"), e.getMessage());
    }
}
