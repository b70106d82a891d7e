package dev.align.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.align.core.json.Json;
import dev.align.data.imports.ImportListener;
import dev.align.data.imports.ImportOptions;
import dev.align.data.imports.ImportSummary;
import dev.align.data.imports.SyntheticImporter;
import dev.align.data.shards.ShardWriter;
import dev.align.models.config.ClipConfig;
import dev.align.models.config.TextConfig;
import dev.align.train.config.TrainConfig;
import dev.align.train.data.DataSources;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training on WebDataset shards: resume exactness, bad samples counted, tokenizer checks. */
class ShardTrainingTest {

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @TempDir
    Path dir;

    private ImportSummary imported;
    private String shards;

    /**
     * 37 procedural samples in 4 shards (37 is prime: epochs end inside batches), plus a fifth
     * shard with one good sample, one PNG cut behind a valid header (fails at decoding) and one
     * empty caption (dropped by the reader).
     */
    @BeforeEach
    void writeShards() throws IOException {
        imported = new SyntheticImporter(0).run(ImportOptions.of(dir.resolve("data"))
                .withLimit(37).withShardSize(10).withImageSize(24).withContextLength(8)
                .withVocabSize(600), ImportListener.NONE);
        BufferedImage noise = new BufferedImage(24, 24, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 24 * 24; i++) {
            noise.setRGB(i % 24, i / 24, i * 7919);
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(noise, "png", png);
        byte[] good = png.toByteArray();
        try (ShardWriter w = new ShardWriter(dir.resolve("data/bad"), 10)) {
            w.write("good", "png", good, "a noisy picture", null);
            w.write("cut", "png", Arrays.copyOf(good, good.length / 2), "a cut picture", null);
            w.write("empty", "png", good, "  ", null);
        }
        shards = imported.shards() + "::" + dir.resolve("data/bad/00000.tar");
    }

    /** The test preset with a text tower wide enough for a BPE vocabulary. */
    private static ClipConfig model(int vocab, int context) {
        ClipConfig c = ClipConfig.test();
        TextConfig t = c.text();
        return new ClipConfig(c.schemaVersion(), c.embedDim(), c.initLogitScale(),
                c.initLogitBias(), c.vision(), new TextConfig(context, vocab, t.width(),
                        t.layers(), t.heads(), t.mlpRatio(), t.activation(), t.causal(),
                        t.pool(), t.padId()));
    }

    private TrainConfig config(ClipConfig model, String extraData) {
        return TrainConfig.fromJson("""
                {"schemaVersion": 1, "model": {"config": %s},
                 "data": {"kind": "SHARDS", "shards": "%s", "tokenizer": "%s",
                          "shuffleBuffer": 7, "workers": 2%s},
                 "loss": {"kind": "INFONCE"}, "optimizer": {"peakLr": 3e-3, "warmupSteps": 3},
                 "globalBatch": 8, "microBatch": 3, "steps": 12, "seed": 5, "threads": 1,
                 "checkpointEvery": 5, "keepCheckpoints": 2}""".formatted(Json.write(model),
                shards, imported.tokenizer(), extraData));
    }

    private static TrainResult train(TrainConfig cfg, Path out, boolean resume)
            throws IOException {
        try (Trainer t = Trainer.open(cfg, DataSources.open(cfg), out, resume)) {
            return t.run(QUIET);
        }
    }

    @Test
    void resumingMidEpochOnShardsEndsWithTheSameWeightsAndCountsBadSamples() throws IOException {
        TrainConfig cfg = config(model(1000, 8), "");
        train(cfg, dir.resolve("straight"), false);
        Path out = dir.resolve("interrupted");
        try (Trainer t = Trainer.open(cfg, DataSources.open(cfg), out, false)) {
            assertThrows(IllegalStateException.class, () -> t.run(QUIET, m -> {
                if (m.step() == 8) {
                    throw new IllegalStateException("simulated crash after step 8");
                }
            }));
        }
        try (Trainer t = Trainer.open(cfg, DataSources.open(cfg), out, true)) {
            assertEquals(5, t.step(), "resumes from the checkpoint at step 5 (40 samples: the "
                    + "second epoch of 39 valid samples)");
            t.run(QUIET);
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("straight/model/model.safetensors")),
                Files.readAllBytes(out.resolve("model/model.safetensors")));
        // 12 steps x 8 = 96 pairs, about 2.5 epochs: each epoch meets the cut PNG at decoding
        // and the empty caption in the reader.
        List<String> lines = Files.readAllLines(dir.resolve("straight/metrics.jsonl"));
        JsonNode last = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertTrue(last.get("skipped").get("corrupt_image").asLong() >= 2, last.toString());
        assertTrue(last.get("skipped").get("empty_caption").asLong() >= 2, last.toString());
        List<String> resumed = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertEquals(last.get("skipped"), new ObjectMapper().readTree(resumed.get(resumed.size() - 1))
                .get("skipped"), "the resumed run counts the samples skipped before its checkpoint");
        assertArrayEquals(Files.readAllBytes(Path.of(imported.tokenizer())),
                Files.readAllBytes(dir.resolve("straight/model/tokenizer.json")),
                "the model folder carries its tokenizer");
    }

    @Test
    void aTokenizerLargerThanTheTextTowerIsRejectedNamingBothNumbers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataSources.open(config(model(520, 8), "")));
        assertTrue(e.getMessage().contains("has " + imported.vocabSize() + " ids")
                && e.getMessage().contains("only 520"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DataSources.open(config(model(1000, 6), "")));
        assertTrue(e.getMessage().contains("encodes 8 tokens") && e.getMessage().contains(
                "takes 6"), e.getMessage());
    }

    @Test
    void shardSettingsHaveDefaultsAndAreStrict() {
        TrainConfig cfg = config(model(1000, 8), "");
        assertEquals(true, cfg.data().shuffleShards());
        assertEquals(0.9, cfg.data().cropScaleMin());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config(model(1000, 8), ", \"shufflebuffer\": 3"));
        assertTrue(e.getMessage().contains("unknown key 'shufflebuffer'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> config(model(1000, 8), ", \"cropScaleMin\": 0"));
        assertTrue(e.getMessage().contains("cropScaleMin"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromJson(
                TrainerTest.config(6, "INFONCE").toJson().replace("\"SYNTHETIC\"",
                        "\"SYNTHETIC\", \"shards\": \"x.tar\"")));
        assertTrue(e.getMessage().contains("SYNTHETIC takes no other key"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromJson(
                TrainerTest.config(6, "INFONCE").toJson().replace("\"SYNTHETIC\"",
                        "\"SHARDS\", \"shards\": \"x.tar\"")));
        assertTrue(e.getMessage().contains("data.tokenizer is required"), e.getMessage());
        // A synthetic config still writes and reads back with no shard keys.
        String synthetic = TrainerTest.config(6, "INFONCE").toJson();
        assertTrue(!synthetic.contains("shuffleBuffer"), synthetic);
        assertEquals(TrainerTest.config(6, "INFONCE"), TrainConfig.fromJson(synthetic));
    }
}
