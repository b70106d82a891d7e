package dev.align.spark;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.align.curation.dfn.DfnScorer;
import dev.align.curation.dfn.DfnSelection;
import dev.align.curation.dfn.ScoredPair;
import dev.align.data.shards.ShardWriter;
import dev.align.data.text.BpeTokenizer;
import dev.align.models.clip.ClipModel;
import dev.align.models.config.ClipConfig;
import dev.align.models.io.ModelBundle;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;

/**
 * DFN scoring throughput, local and on Spark, with the kept sets compared: a randomly initialised
 * {@code tiny} model folder with a BPE tokenizer, {@code N} synthetic 96x96 JPEG pairs in shards
 * of 500, scored once by one local {@link DfnScorer}, then by {@link DfnJob} (top 15%).
 *
 * <pre>
 * java [Spark's --add-opens flags] -Dai.djl.pytorch.num_threads=T -cp ... \
 *     dev.align.spark.DfnBench WORK_DIR [pairs=4000] [master=local[2]] [batch=64]
 * </pre>
 */
public final class DfnBench {

    private DfnBench() {}

    /**
     * Runs the benchmark and prints its figures.
     *
     * @param args work directory, then optional pairs, master, batch size
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        Path work = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 4000;
        String master = args.length > 2 ? args[2] : "local[2]";
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        Path model = work.resolve("dfn-model");
        Path pool = work.resolve("dfn-pool-" + n);
        String[] words = {"red", "green", "blue", "small", "large", "disc", "square", "star",
            "ring", "photo", "of", "a", "the", "on", "white", "background"};
        Random r = new Random(1);
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder("a photo of");
            for (int k = 0; k < 3 + r.nextInt(6); k++) {
                sb.append(' ').append(words[r.nextInt(words.length)]);
            }
            captions.add(sb.toString());
        }
        if (!Files.exists(model)) {
            try (NDManager manager = NDManager.newBaseManager()) {
                ModelBundle.write(model, ClipModel.create(ClipConfig.tiny(), manager, DataType.FLOAT32,
                        3), null, null);
            }
            BpeTokenizer.train(captions, 1000, ClipConfig.tiny().text().contextLength())
                    .save(model.resolve(ModelBundle.TOKENIZER));
        }
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            images.add(jpeg(r));
        }
        if (!Files.exists(pool)) {
            try (ShardWriter w = new ShardWriter(pool, 500)) {
                for (int i = 0; i < n; i++) {
                    w.write(String.format("%07d", i), "jpg", images.get(i), captions.get(i), null);
                }
            }
        }
        List<String> shards = new ArrayList<>();
        for (int i = 0; i < (n + 499) / 500; i++) {
            shards.add(pool.resolve(String.format("%05d.tar", i)).toString());
        }

        long t0 = System.nanoTime();
        float[] scores;
        try (DfnScorer scorer = DfnScorer.load(model, batch)) {
            scores = scorer.score(images, captions);
        }
        double localSeconds = (System.nanoTime() - t0) / 1e9;
        List<ScoredPair> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pairs.add(new ScoredPair(String.format("%07d", i), scores[i]));
        }
        boolean[] kept = DfnSelection.selectTop(pairs, 0.15);
        Set<String> localKept = new HashSet<>();
        for (int i = 0; i < n; i++) {
            if (kept[i]) {
                localKept.add(pairs.get(i).key());
            }
        }
        System.out.printf("local (one scorer, libtorch threads %s): %.2f s, %,.0f pairs/s "
                + "(images in memory, model load included)%n",
                System.getProperty("ai.djl.pytorch.num_threads", "default"), localSeconds,
                n / localSeconds);

        SparkSession spark = SparkSession.builder().master(master).appName("dfn bench")
                .config("spark.ui.enabled", "false").getOrCreate();
        for (int round = 0; round < 2; round++) {
            String out = work.resolve("dfn-out-" + System.nanoTime()).toString();
            DfnSummary s = DfnJob.run(spark, shards, pool.toString(), model.toString(), batch,
                    0.15, null, out, false);
            Set<String> sparkKept = new HashSet<>();
            spark.read().parquet(out + "/decisions").filter("kept").select("key")
                    .collectAsList().forEach(row -> sparkKept.add(row.getString(0)));
            System.out.printf("spark %s round %d: %.2f s end to end (shards read, decoded, "
                    + "scored, ranked, written), %,.0f pairs/s; kept %,d; same kept set as "
                    + "local: %s%n", master, round, s.seconds(), n / s.seconds(), s.kept(),
                    sparkKept.equals(localKept));
        }
        spark.stop();
    }

    private static byte[] jpeg(Random r) throws IOException {
        BufferedImage img = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
        int c = r.nextInt(1 << 24);
        for (int y = 0; y < 96; y++) {
            for (int x = 0; x < 96; x++) {
                img.setRGB(x, y, ((x / 12 + y / 12) % 2 == 0) ? c : r.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }
}
