package dev.align.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.align.curation.metaclip.PairIds;
import dev.align.curation.worldwide.WorldwideCuration;
import dev.align.curation.worldwide.WorldwideMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
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
            SparkWorldwide.Run run = SparkWorldwide.curate(rdd, metadata, 40, 9);
            assertEquals(local.balancer().thresholds(), run.thresholds());
            assertEquals(local.balancer().tailShare(), run.tailShare(), 0);
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
}
