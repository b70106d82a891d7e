package dev.align.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.curation.metaclip.BalanceDecision;
import dev.align.data.shards.ShardReader;
import dev.align.data.shards.ShardReaderOptions;
import dev.align.data.shards.ShardWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * after it did its work, MetaCLIP decides every pair as the local run does and writes its kept
 * pairs once, and DFN writes the same decisions, counts and curated shards as a run without
 * failures.
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

    /** Decisions as sorted "key,kept,reason" rows, and the written shards' bytes by file name. */
    private record Output(List<String> decisions, Map<String, byte[]> shards, String summary) {}

    private static Output read(String out, String... fields) throws IOException {
        List<String> rows = new ArrayList<>();
        for (Row r : spark.read().parquet(out + "/decisions").collectAsList()) {
            StringBuilder sb = new StringBuilder();
            for (String f : fields) {
                sb.append(r.get(r.fieldIndex(f))).append(',');
            }
            rows.add(sb.toString());
        }
        rows.sort(null);
        Map<String, byte[]> shards = new TreeMap<>();
        try (Stream<Path> files = Files.list(Path.of(out, "shards"))) {
            for (Path p : files.toList()) {
                shards.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        // Counts, not timings: drop the seconds fields.
        String summary = Files.readString(Path.of(out, "summary.json"))
                .replaceAll("\"[a-zA-Z]*[sS]econds\" : [0-9.E-]+,?", "");
        return new Output(rows, shards, summary);
    }

    private static void assertSame(Output clean, Output failed) {
        assertEquals(clean.decisions(), failed.decisions());
        assertEquals(clean.summary(), failed.summary());
        assertEquals(clean.shards().keySet(), failed.shards().keySet());
        clean.shards().forEach((name, bytes) -> assertArrayEquals(bytes, failed.shards().get(name),
                name));
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
    void dfnKeepsTheSameSetWhenTasksFailAndAreRetried() throws IOException {
        Path model = SparkDfnTest.modelFolder(tmp.resolve("model"));
        Random r = new Random(8);
        String[] colours = {"red", "green", "blue", "black", "white"};
        String[] shapes = {"disc", "square", "star", "ring"};
        List<String> shards;
        try (ShardWriter w = new ShardWriter(tmp.resolve("dfn-in"), 10)) {
            for (int i = 0; i < 30; i++) {
                w.write(String.format("d%05d", i), "png", SparkDfnTest.png(16 + r.nextInt(20),
                        16 + r.nextInt(20), r.nextLong()), "a " + colours[r.nextInt(5)] + " "
                        + shapes[r.nextInt(4)], null);
            }
            w.close();
            shards = w.shards().stream().map(Path::toString).toList();
        }
        String[] fields = {"key", "score", "rank", "kept", "reason"};
        String cleanOut = tmp.resolve("dfn-clean").toString();
        DfnJob.run(spark, shards, "pool", model.toString(), 8, 0.4, null, cleanOut, true);
        FailFirstAttempts.arm();
        Set<String> failedStages;
        String failedOut = tmp.resolve("dfn-failed").toString();
        try {
            DfnJob.run(spark, shards, "pool", model.toString(), 8, 0.4, null, failedOut, true);
        } finally {
            failedStages = FailFirstAttempts.disarm();
        }
        assertTrue(failedStages.size() >= 4, "tasks failed in several stages: " + failedStages);
        assertSame(read(cleanOut, fields), read(failedOut, fields));
    }
}
