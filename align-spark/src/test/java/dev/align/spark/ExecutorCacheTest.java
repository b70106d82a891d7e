package dev.align.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.align.curation.metaclip.BalanceDecision;
import dev.align.curation.metaclip.PairIds;
import dev.align.curation.worldwide.WorldwideCuration;
import dev.align.curation.worldwide.WorldwideDecision;
import dev.align.curation.worldwide.WorldwideMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Executors cache the balancer they build from broadcast counts for the life of their JVM. In
 * local mode that JVM outlives its SparkContexts, and a new context numbers its broadcasts from
 * zero again: the same job over another pool in a second session must not reuse the first
 * session's balancer.
 */
class ExecutorCacheTest {

    @Test
    void aSecondSessionOverAnotherPoolDecidesWithItsOwnCounts() {
        Map<String, List<String>> metadata = TestPools.worldwideMetadata();
        for (long poolSeed : new long[] {1, 2}) {
            Map<String, String[]> pool = TestPools.multilingual(400, poolSeed);
            List<SparkWorldwide.Pair> pairs = new ArrayList<>();
            List<PoolRecord> records = new ArrayList<>();
            List<String> captions = new ArrayList<>();
            List<String> langs = new ArrayList<>();
            pool.forEach((k, v) -> {
                pairs.add(new SparkWorldwide.Pair("s", k, v[0], v[1]));
                records.add(PoolRecord.pair("s", k, v[0]));
                captions.add(v[0]);
                langs.add(v[1]);
            });
            long[] ids = pool.keySet().stream().mapToLong(PairIds::of).toArray();
            WorldwideCuration.Result local = WorldwideCuration.curate(captions, langs, ids,
                    WorldwideMatcher.build(metadata), 10, 3);
            Map<String, BalanceDecision> localMetaClip = TestPools.localMetaClip(
                    pool.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                            Map.Entry::getKey, e -> e.getValue()[0], (a, b) -> a,
                            java.util.LinkedHashMap::new)), metadata.get("en"), 10, 3);

            SparkSession spark = TestPools.session("ExecutorCacheTest-" + poolSeed);
            try {
                JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                Map<String, WorldwideDecision> worldwide = new HashMap<>();
                try (SparkWorldwide.Run run = SparkWorldwide.curate(sc.parallelize(pairs, 2),
                        metadata, 10, 3)) {
                    run.outcomes().collect().forEach(o -> worldwide.put(o.key(), o.decision()));
                }
                Map<String, BalanceDecision> metaclip = new HashMap<>();
                try (MetaClipRun run = SparkMetaClip.curate(sc.parallelize(records, 2),
                        metadata.get("en"), 10, 3)) {
                    run.outcomes().collect().forEach(o -> metaclip.put(o.key(), o.decision()));
                }
                int i = 0;
                for (String key : pool.keySet()) {
                    assertEquals(local.decisions().get(i++), worldwide.get(key),
                            "pool " + poolSeed + ", " + key);
                    assertEquals(localMetaClip.get(key), metaclip.get(key),
                            "pool " + poolSeed + ", " + key);
                }
            } finally {
                spark.stop();
            }
        }
    }
}
