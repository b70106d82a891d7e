package dev.align.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.data.imports.ImportListener;
import dev.align.data.imports.ImportOptions;
import dev.align.data.imports.ImportSummary;
import dev.align.data.imports.SyntheticImporter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every example on tiny inputs, as CI does after {@code mvn install}: 300 synthetic pairs
 * in 3 shards with an eval folder, a {@code tiny} model trained for 30 steps, then each example
 * against them; checks what each prints.
 */
class ExamplesTest {

    @TempDir
    static Path work;

    private static ImportSummary data;
    private static Path model;
    private static Path someClass;

    /** Runs an example's main and returns what it printed on stdout. */
    private static List<String> run(Main main, String... args) throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            main.run(args);
        } finally {
            System.setOut(stdout);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        stdout.print(text);                                   // keep it in the build log
        return text.lines().toList();
    }

    @FunctionalInterface
    private interface Main {
        void run(String[] args) throws Exception;
    }

    @BeforeAll
    static void importAndTrain() throws Exception {
        data = new SyntheticImporter(2).run(new ImportOptions(work.resolve("syn"), 0, 100, 300,
                32, ImportOptions.DEFAULT_VOCAB_SIZE, 32, 0xFFFFFF), ImportListener.NONE);
        Path config = Files.writeString(work.resolve("run.json"), """
                {"schemaVersion": 1, "model": {"preset": "tiny"},
                 "data": {"kind": "SHARDS", "shards": "%s", "tokenizer": "%s", "workers": 1},
                 "loss": {"kind": "INFONCE"}, "optimizer": {"peakLr": 1e-3, "warmupSteps": 5},
                 "globalBatch": 32, "steps": 30, "seed": 0, "threads": 2}"""
                .formatted(data.shards(), data.tokenizer()));
        List<String> out = run(TrainFromConfig::main, config.toString(),
                work.resolve("run").toString());
        assertEquals(1, out.size(), out.toString());
        assertTrue(out.get(0).matches("trained 30 steps: final loss \\d+\\.\\d{4}, \\d+ samples/s; "
                + "model folder .*"), out.get(0));
        model = work.resolve("run/model");
        assertTrue(Files.isRegularFile(model.resolve("tokenizer.json")));
        try (Stream<Path> classes = Files.list(Path.of(data.eval()))) {
            someClass = classes.filter(Files::isDirectory).sorted().findFirst().orElseThrow();
        }
    }

    @Test
    void zeroShotClassifyPrintsThreeClassesPerImage() throws Exception {
        List<String> out = run(ZeroShotClassify::main, model.toString(), someClass.toString(),
                "red circle", "blue square", "green triangle", "yellow star");
        assertEquals(2, out.size(), out.toString());
        for (String line : out) {
            assertTrue(line.matches("\\S+\\.png: [a-z ]+ \\d+\\.\\d%, [a-z ]+ \\d+\\.\\d%, "
                    + "[a-z ]+ \\d+\\.\\d%"), line);
        }
    }

    @Test
    void searchImagesRanksTheFolderForEachQuery() throws Exception {
        List<String> out = run(SearchImages::main, model.toString(), data.eval(),
                "two small red circles", "a big blue square");
        assertEquals(8, out.size(), out.toString());
        assertEquals("query \"two small red circles\":", out.get(0));
        assertTrue(out.get(1).matches("  -?\\d\\.\\d{3}  [a-z ]+/\\d+\\.png"), out.get(1));
        assertEquals("query \"a big blue square\":", out.get(4));
    }

    @Test
    void curatePoolReportsEveryStep() throws Exception {
        List<String> out = run(CuratePool::main, data.shards(), work.resolve("curated").toString());
        assertTrue(out.get(0).matches("metadata: \\d+ entries from 300 captions"), out.get(0));
        assertTrue(out.get(1).startsWith("align-rules    300 -> "), out.get(1));
        assertTrue(out.get(2).startsWith("metaclip "), out.get(2));
        assertTrue(out.get(3).matches("kept \\d+ of 300 pairs in .*shards"), out.get(3));
        assertTrue(Files.isRegularFile(work.resolve("curated/summary.json")));
    }

    @Test
    void openClipEmbedLoadsOpenClipLayoutWeights() throws Exception {
        Path image = firstImage();
        List<String> out = run(OpenClipEmbed::main, model.resolve("model.safetensors").toString(),
                "tiny", data.tokenizer(), image.toString(), "a red circle", "a blue square");
        assertTrue(out.get(0).matches("embedding size \\d+, logit scale \\d+\\.\\d\\d"), out.get(0));
        assertTrue(out.get(1).matches("\"a red circle\": cosine -?\\d\\.\\d{3}, probability "
                + "\\d+\\.\\d%"), out.get(1));
        assertEquals(3, out.size());
    }

    @Test
    void serveWithPredictorEmbedsThroughDjl() throws Exception {
        List<String> out = run(ServeWithPredictor::main, model.toString(), firstImage().toString(),
                "a red circle", "a blue square");
        assertTrue(out.get(0).matches("image embedding: \\d+ values, starting .*"), out.get(0));
        assertTrue(out.get(2).matches("\"a blue square\": cosine -?\\d\\.\\d{3}"), out.get(2));
    }

    @Test
    void shardsAsDjlDatasetPrintsEachBatch() throws Exception {
        List<String> out = run(ShardsAsDjlDataset::main, data.shards(), data.tokenizer());
        assertEquals(3, out.size(), out.toString());
        assertTrue(out.get(0).matches("batch 1/3: pixel_values \\(16, 3, 32, 32\\) float32 mean "
                + "-?\\d+\\.\\d{3}, input_ids \\(16, 32\\) int64"), out.get(0));
    }

    @Test
    void evaluateDjlImageFolderPrintsAccuracy() throws Exception {
        List<String> out = run(EvaluateDjlImageFolder::main, model.toString(), data.eval());
        assertEquals(1, out.size(), out.toString());
        assertTrue(out.get(0).matches("eval: 48 classes, 96 images, top-1 \\d+\\.\\d%, top-5 "
                + "\\d+\\.\\d% \\(templates: .*\\)"), out.get(0));
    }

    private static Path firstImage() throws Exception {
        try (Stream<Path> files = Files.list(someClass)) {
            return files.sorted().findFirst().orElseThrow();
        }
    }
}
