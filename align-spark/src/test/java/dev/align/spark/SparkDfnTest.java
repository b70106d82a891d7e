package dev.align.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.align.curation.dfn.DfnScorer;
import dev.align.curation.dfn.DfnSelection;
import dev.align.curation.dfn.ScoredPair;
import dev.align.data.shards.Sample;
import dev.align.data.shards.ShardReader;
import dev.align.data.shards.ShardReaderOptions;
import dev.align.data.shards.ShardWriter;
import dev.align.data.text.BpeTokenizer;
import dev.align.models.clip.ClipModel;
import dev.align.models.config.Activation;
import dev.align.models.config.ClipConfig;
import dev.align.models.config.TextConfig;
import dev.align.models.config.TextPool;
import dev.align.models.io.ModelBundle;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkDfnTest {

    private static final int BATCH = 8;

    private static SparkSession spark;
    private static Path model;
    private static List<String> shards;
    /** Local scores by key (NaN for the undecodable image), from one scorer over the whole pool. */
    private static Map<String, Float> localScores;
    private static Map<String, String> captions;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws IOException {
        spark = TestPools.session("SparkDfnTest");
        model = modelFolder(tmp.resolve("model"));
        Random r = new Random(5);
        String[] colours = {"red", "green", "blue", "black", "white"};
        String[] shapes = {"disc", "square", "star", "ring"};
        captions = new LinkedHashMap<>();
        Map<String, byte[]> images = new LinkedHashMap<>();
        for (int i = 0; i < 61; i++) {
            String key = String.format("p%05d", i);
            captions.put(key, "a " + colours[r.nextInt(5)] + " " + shapes[r.nextInt(4)]);
            byte[] png = png(20 + r.nextInt(30), 20 + r.nextInt(30), r.nextLong());
            // one image whose header is fine but whose pixels are cut off: no score
            images.put(key, i == 17 ? Arrays.copyOf(png, png.length / 2) : png);
        }
        // Three shards of uneven size: 25, 25, 11 samples.
        try (ShardWriter w = new ShardWriter(tmp.resolve("pool"), 25)) {
            for (String k : captions.keySet()) {
                w.write(k, "png", images.get(k), captions.get(k), null);
            }
            w.close();
            shards = w.shards().stream().map(Path::toString).toList();
        }
        assertEquals(3, shards.size());
        localScores = new LinkedHashMap<>();
        try (DfnScorer scorer = DfnScorer.load(model, BATCH)) {
            float[] s = scorer.score(new ArrayList<>(images.values()),
                    new ArrayList<>(captions.values()));
            int i = 0;
            for (String k : captions.keySet()) {
                localScores.put(k, s[i++]);
            }
        }
        assertTrue(Float.isNaN(localScores.get("p00017")));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static Path modelFolder(Path dir) throws IOException {
        ClipConfig config = ClipConfig.test().withText(new TextConfig(12, 600, 32, 2, 4, 4.0,
                Activation.GELU, true, TextPool.ARGMAX, 0));
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelBundle.write(dir, ClipModel.create(config, manager, DataType.FLOAT32, 11), null, null);
        }
        List<String> corpus = new ArrayList<>();
        for (String c : new String[] {"red", "green", "blue", "black", "white"}) {
            for (String s : new String[] {"disc", "square", "star", "ring"}) {
                corpus.add("a " + c + " " + s);
            }
        }
        BpeTokenizer.train(corpus, 600, 12).save(dir.resolve(ModelBundle.TOKENIZER));
        return dir;
    }

    static byte[] png(int width, int height, long seed) throws IOException {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private static List<ScoredPair> localScored() {
        List<ScoredPair> pairs = new ArrayList<>();
        localScores.forEach((k, s) -> {
            if (!Float.isNaN(s)) {
                pairs.add(new ScoredPair(k, s));
            }
        });
        return pairs;
    }

    private static Set<String> keptKeys(List<ScoredPair> pairs, boolean[] kept) {
        Set<String> keys = new TreeSet<>();
        for (int i = 0; i < kept.length; i++) {
            if (kept[i]) {
                keys.add(pairs.get(i).key());
            }
        }
        return keys;
    }

    private static Map<String, DfnOutcome> byKey(JavaRDD<DfnOutcome> outcomes) {
        Map<String, DfnOutcome> map = new HashMap<>();
        for (DfnOutcome o : outcomes.collect()) {
            assertEquals(null, map.put(o.key(), o), o.key());
        }
        return map;
    }

    @Test
    void scoresAreBitIdenticalToTheLocalRunAndTheTopFractionIsTheSameSet() {
        JavaRDD<ScoredRecord> scored = SparkDfn.score(spark, shards, model.toString(), BATCH)
                .persist(StorageLevel.MEMORY_ONLY());
        try {
            List<ScoredPair> pairs = localScored();
            List<ScoredPair> ranked = new ArrayList<>(pairs);
            ranked.sort(DfnSelection.RANK);
            for (double fraction : new double[] {0.3, 0.15, 1.0, 0.0}) {
                Map<String, DfnOutcome> spark = byKey(SparkDfn.selectTop(scored, fraction));
                assertEquals(localScores.keySet(), spark.keySet());
                for (Map.Entry<String, Float> e : localScores.entrySet()) {
                    // bit for bit: the same batch size, fixed-shape padded batches
                    assertEquals(Float.floatToRawIntBits(e.getValue()),
                            Float.floatToRawIntBits(spark.get(e.getKey()).score()), e.getKey());
                }
                Set<String> expected = keptKeys(pairs, DfnSelection.selectTop(pairs, fraction));
                Set<String> kept = new TreeSet<>();
                spark.values().stream().filter(DfnOutcome::kept).forEach(o -> kept.add(o.key()));
                assertEquals(expected, kept, "fraction " + fraction);
                assertEquals(DfnSelection.keepCount(60, fraction), kept.size());
                for (int rank = 0; rank < ranked.size(); rank++) {
                    assertEquals(rank, spark.get(ranked.get(rank).key()).rank());
                }
                assertEquals("corrupt_image", spark.get("p00017").reason());
            }
        } finally {
            scored.unpersist();
        }
    }

    @Test
    void thresholdKeepsTheLocalSetAndTheJobWritesItsShards() throws IOException {
        List<ScoredPair> pairs = localScored();
        float[] sorted = new float[pairs.size()];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = pairs.get(i).score();
        }
        Arrays.sort(sorted);
        double threshold = sorted[sorted.length / 2]; // a threshold equal to a score: >= keeps it
        Set<String> expected = keptKeys(pairs, DfnSelection.selectAtLeast(pairs, threshold));
        assertEquals(30, expected.size());

        String out = tmp.resolve("out").toString();
        DfnSummary summary = DfnJob.run(spark, shards, "pool", model.toString(), BATCH, null,
                threshold, out, true);
        assertEquals(61, summary.pairs());
        assertEquals(60, summary.scored());
        assertEquals(30, summary.kept());
        assertEquals((float) threshold, (float) summary.lowestKeptScore());
        Set<String> kept = new TreeSet<>();
        spark.read().parquet(out + "/decisions").filter("kept").select("key").collectAsList()
                .forEach(row -> kept.add(row.getString(0)));
        assertEquals(expected, kept);

        List<String> curated = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path p = Path.of(out, "shards", String.format("%05d.tar", i));
            if (Files.exists(p)) {
                curated.add(p.toString());
            }
        }
        Set<String> inShards = new TreeSet<>();
        try (ShardReader reader = ShardReader.open(new ShardReaderOptions(curated, 0, false, 0, 1,
                1L << 20, 1L << 20), 0)) {
            while (reader.hasNext()) {
                Sample s = reader.next();
                assertEquals(captions.get(s.key()), s.caption());
                inShards.add(s.key());
            }
        }
        assertEquals(expected, inShards);
    }

    @Test
    void duplicateKeysAreRejectedForTopFraction() {
        List<String> twice = List.of(shards.get(2), shards.get(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkDfn.selectTop(SparkDfn.score(spark, twice, model.toString(), BATCH),
                        0.5));
        assertTrue(e.getMessage().contains("22 scored pairs but only 11 distinct keys"),
                e.getMessage());
    }

    @Test
    void aFailedWriteReleasesTheCachedScoresAndOutcomes() throws IOException {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Set<Integer> before = Set.copyOf(sc.getPersistentRDDs().keySet());
        Path out = tmp.resolve("taken");
        Files.createDirectories(out.resolve("decisions"));       // ErrorIfExists refuses it
        // Spark throws its checked AnalysisException without declaring it.
        Exception e = assertThrows(Exception.class, () -> DfnJob.run(spark, shards, "pool",
                model.toString(), BATCH, null, 0.0, out.toString(), false));
        assertTrue(String.valueOf(e.getMessage()).contains("already exists"), e.getMessage());
        assertEquals(before, sc.getPersistentRDDs().keySet());
    }
}
