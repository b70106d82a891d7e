package dev.align.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.curation.dfn.DfnScorer;
import dev.align.curation.dfn.DfnSelection;
import dev.align.curation.dfn.ScoredPair;
import dev.align.curation.metaclip.BalanceDecision;
import dev.align.data.shards.ShardReader;
import dev.align.data.shards.ShardReaderOptions;
import dev.align.data.shards.ShardWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark jobs under task failure: in {@code local[2,3]} (two threads, three attempts per
 * task) with {@link FailFirstAttempts} failing the first attempt of partition 1 in every stage
 * after it did its work, MetaCLIP and DFN decide every pair as the local run does (DFN's scores
 * bit for bit) and write each kept pair once to the curated shards.
 */
class SparkRetryTest {

    private static final long THRESHOLD = 30;
    private static final long SEED = 4242;

    private static SparkSession spark;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder()
                .master("local[2,3]")
                .appName("SparkRetryTest")
                .config("spark.plugins", FailFirstAttempts.class.getName())
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void metaClipKeepsTheLocalSetWhenTasksFailAndAreRetried() throws IOException {
        List<String> vocabulary = TestPools.vocabulary(120);
        List<String> metadata = TestPools.metadata(vocabulary);
        Map<String, String> pool = TestPools.captions(600, vocabulary, 11);
        Map<String, BalanceDecision> local = TestPools.localMetaClip(pool, metadata, THRESHOLD, SEED);
        List<String> in = TestPools.writeShards(pool, tmp.resolve("metaclip-in"), 200);
        PoolSpec spec = PoolSpec.shards(tmp.resolve("metaclip-in") + "/{00000..00002}.tar");

        FailFirstAttempts.arm();
        Set<String> failedStages;
        String out = tmp.resolve("metaclip-failed").toString();
        MetaClipSummary summary;
        try {
            summary = MetaClipJob.run(spark, spec, metadata, THRESHOLD, SEED, out, true);
        } finally {
            failedStages = FailFirstAttempts.disarm();
        }
        assertTrue(failedStages.size() >= 4, "tasks failed in several stages: " + failedStages);

        // Every decision is the local run's, the counts too, and the shards hold the kept pairs.
        List<Row> rows = spark.read().parquet(out + "/decisions").collectAsList();
        assertEquals(pool.size(), rows.size(), "each pair decided once despite the retries");
        Set<String> localKept = new TreeSet<>();
        for (Row r : rows) {
            String key = r.getString(r.fieldIndex("key"));
            BalanceDecision d = local.get(key);
            assertEquals(d.kept(), r.getBoolean(r.fieldIndex("kept")), key);
            assertEquals(d.keepProbability(), r.getDouble(r.fieldIndex("keep_probability")), 0.0);
            assertEquals(d.reason().label(), r.getString(r.fieldIndex("reason")), key);
            if (d.kept()) {
                localKept.add(key);
            }
        }
        assertEquals(localKept.size(), summary.kept());
        List<String> written = new ArrayList<>();
        List<String> outShards = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            outShards.add(Path.of(out, "shards", String.format("%05d.tar", i)).toString());
        }
        try (ShardReader reader = ShardReader.open(new ShardReaderOptions(outShards, 0, false, 0,
                1, 1L << 20, 1L << 20), 0)) {
            reader.forEachRemaining(s -> written.add(s.key()));
        }
        assertEquals(List.copyOf(localKept), written, "the curated shards hold the kept pairs once");
        try (Stream<Path> files = Files.list(Path.of(out, "shards"))) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(".")).toList(), "no temporary file left by a retry");
        }
    }

    @Test
    void dfnKeepsTheLocalSetWhenTasksFailAndAreRetried() throws IOException {
        Path model = SparkDfnTest.modelFolder(tmp.resolve("model"));
        Random r = new Random(8);
        String[] colours = {"red", "green", "blue", "black", "white"};
        String[] shapes = {"disc", "square", "star", "ring"};
        Map<String, byte[]> images = new LinkedHashMap<>();
        Map<String, String> captions = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            String key = String.format("d%05d", i);
            images.put(key, SparkDfnTest.png(16 + r.nextInt(20), 16 + r.nextInt(20), r.nextLong()));
            captions.put(key, "a " + colours[r.nextInt(5)] + " " + shapes[r.nextInt(4)]);
        }
        List<String> shards;
        try (ShardWriter w = new ShardWriter(tmp.resolve("dfn-in"), 10)) {
            for (String k : images.keySet()) {
                w.write(k, "png", images.get(k), captions.get(k), null);
            }
            w.close();
            shards = w.shards().stream().map(Path::toString).toList();
        }
        // The local run: one scorer over the whole pool, DfnSelection's top 40%.
        List<ScoredPair> scored = new ArrayList<>();
        try (DfnScorer scorer = DfnScorer.load(model, 8)) {
            float[] s = scorer.score(new ArrayList<>(images.values()),
                    new ArrayList<>(captions.values()));
            int i = 0;
            for (String k : images.keySet()) {
                scored.add(new ScoredPair(k, s[i++]));
            }
        }
        boolean[] keep = DfnSelection.selectTop(scored, 0.4);
        Map<String, Float> localScores = new TreeMap<>();
        List<String> localKept = new ArrayList<>();
        for (int i = 0; i < scored.size(); i++) {
            localScores.put(scored.get(i).key(), scored.get(i).score());
            if (keep[i]) {
                localKept.add(scored.get(i).key());
            }
        }

        FailFirstAttempts.arm();
        Set<String> failedStages;
        String out = tmp.resolve("dfn-failed").toString();
        DfnSummary summary;
        try {
            summary = DfnJob.run(spark, shards, "pool", model.toString(), 8, 0.4, null, out, true);
        } finally {
            failedStages = FailFirstAttempts.disarm();
        }
        assertTrue(failedStages.size() >= 4, "tasks failed in several stages: " + failedStages);
        List<Row> rows = spark.read().parquet(out + "/decisions").collectAsList();
        assertEquals(images.size(), rows.size(), "each pair decided once despite the retries");
        Set<String> kept = new TreeSet<>();
        for (Row row : rows) {
            String key = row.getString(row.fieldIndex("key"));
            assertEquals(localScores.get(key), row.getFloat(row.fieldIndex("score")), 0f, key);
            if (row.getBoolean(row.fieldIndex("kept"))) {
                kept.add(key);
            }
        }
        assertEquals(new TreeSet<>(localKept), kept);
        assertEquals(localKept.size(), summary.kept());
        List<String> written = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(out, "shards"))) {
            List<String> tars = files.map(Path::toString).filter(n -> n.endsWith(".tar")).sorted()
                    .toList();
            try (ShardReader reader = ShardReader.open(new ShardReaderOptions(tars, 0, false, 0,
                    1, 1L << 20, 1L << 20), 0)) {
                reader.forEachRemaining(sample -> written.add(sample.key()));
            }
        }
        assertEquals(List.copyOf(new TreeSet<>(localKept)), written, "each kept pair written once");
    }
}
