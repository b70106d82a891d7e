package dev.align.train.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.core.data.ImageTextBatch;
import dev.align.core.data.ImageTextSource;
import dev.align.core.json.Json;
import dev.align.data.shards.ShardWriter;
import dev.align.data.text.BpeTokenizer;
import dev.align.models.config.ClipConfig;
import dev.align.models.config.TextConfig;
import dev.align.train.config.TrainConfig;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failure of issue 11, reproduced and prevented: shards written sorted by category (all
 * skin tones of one emoji, then the next) read through the training data path. With the old
 * defaults (a 1,000-sample buffer, one shard at a time) each batch holds over five times as many
 * pairs of the same category as a random draw (199 against 37), every one a false negative for
 * the contrastive loss, and 60% of the categories; with the defaults (5,000 samples, 4 shards
 * interleaved) 1.5 times (56) and 93%, although the set is twice the buffer. (Importers now write
 * a random order, which leaves nothing for the reader to mix.)
 */
class DataOrderTest {

    /** 800 categories of 12 near-duplicates, 9,600 samples: larger than the default buffer. */
    private static final int CATEGORIES = 800;
    private static final int PER_CATEGORY = 12;
    private static final int N = CATEGORIES * PER_CATEGORY;
    private static final int BATCH = 256;
    private static final int BATCHES = 8;

    @TempDir
    static Path dir;

    private static String shards;
    private static Path tokenizer;

    @BeforeAll
    static void writeSortedShards() throws IOException {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        List<String> captions = new ArrayList<>();
        try (ShardWriter w = new ShardWriter(dir, 100)) {
            for (int c = 0; c < CATEGORIES; c++) {
                for (int k = 0; k < PER_CATEGORY; k++) {
                    String caption = "category " + c + " variant " + k;
                    captions.add(caption);
                    w.write(String.format(Locale.ROOT, "c%04d-%02d", c, k), "png",
                            png.toByteArray(), caption, null);
                }
            }
        }
        shards = dir.resolve(String.format("{00000..%05d}.tar", N / 100 - 1)).toString();
        tokenizer = dir.resolve("tokenizer.json");
        BpeTokenizer.train(captions.subList(0, 600), 600, 8).save(tokenizer);
    }

    private static TrainConfig config(String dataKeys) {
        ClipConfig c = ClipConfig.test();
        TextConfig t = c.text();
        ClipConfig model = new ClipConfig(c.schemaVersion(), c.embedDim(), c.initLogitScale(),
                c.initLogitBias(), c.vision(), new TextConfig(8, 1000, t.width(), t.layers(),
                        t.heads(), t.mlpRatio(), t.activation(), t.causal(), t.pool(), t.padId()));
        return TrainConfig.fromJson("""
                {"schemaVersion": 1, "model": {"config": %s},
                 "data": {"kind": "SHARDS", "shards": "%s", "tokenizer": "%s"%s},
                 "loss": {"kind": "INFONCE"}, "optimizer": {"peakLr": 1e-3},
                 "globalBatch": %d, "steps": 10, "seed": 1}""".formatted(Json.write(model),
                shards, tokenizer, dataKeys, BATCH));
    }

    /** Mean over batches of [same-category pairs, distinct categories]. */
    private static double[] batchStatistics(TrainConfig cfg) throws IOException {
        double pairs = 0;
        double distinct = 0;
        try (ImageTextSource source = DataSources.open(cfg)) {
            for (int b = 0; b < BATCHES; b++) {
                ImageTextBatch batch = source.next(BATCH);
                Map<String, Integer> perCategory = new HashMap<>();
                for (String key : batch.keys()) {
                    perCategory.merge(key.substring(0, 5), 1, Integer::sum);
                }
                for (int n : perCategory.values()) {
                    pairs += n * (n - 1) / 2.0;
                }
                distinct += perCategory.size();
            }
        }
        return new double[] {pairs / BATCHES, distinct / BATCHES};
    }

    @Test
    void batchesFromCategorySortedShardsAreMixedLikeRandomDraws() throws IOException {
        // A uniformly random batch of B from N: pairs B(B-1)/2 * (m-1)/(N-1) share a category;
        // a category is missing with probability C(N-m, B)/C(N, B).
        double randomPairs = BATCH * (BATCH - 1) / 2.0 * (PER_CATEGORY - 1) / (N - 1);
        double missing = 1;
        for (int i = 0; i < PER_CATEGORY; i++) {
            missing *= (double) (N - BATCH - i) / (N - i);
        }
        double randomDistinct = CATEGORIES * (1 - missing);

        double[] defaults = batchStatistics(config(""));
        double[] old = batchStatistics(config(", \"shuffleBuffer\": 1000, \"interleave\": 1"));
        String report = String.format(Locale.ROOT, "same-category pairs per batch: random %.1f, "
                + "defaults %.1f, old defaults %.1f; distinct categories: random %.1f, defaults "
                + "%.1f, old %.1f", randomPairs, defaults[0], old[0], randomDistinct,
                defaults[1], old[1]);
        System.out.println(report);
        assertTrue(defaults[0] < 2 * randomPairs, report);
        assertTrue(defaults[1] > 0.9 * randomDistinct, report);
        assertTrue(old[0] > 3.5 * randomPairs, "the test must tell the two apart: " + report);
        assertTrue(old[1] < 0.7 * randomDistinct, report);
    }
}
