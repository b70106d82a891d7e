package dev.align.experiments.curation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align.core.io.FileTrees;
import dev.align.core.json.Json;
import dev.align.core.testing.FaultyFileSystem;
import dev.align.experiments.report.ReportFiles;
import dev.align.experiments.eval.EvalResult;
import dev.align.models.config.Activation;
import dev.align.models.config.ClipConfig;
import dev.align.models.config.TextConfig;
import dev.align.models.config.TextPool;
import dev.align.models.config.VisionConfig;
import dev.align.experiments.pool.NoiseConfig;
import dev.align.train.StopRequest;
import dev.align.train.TrainingStoppedException;
import dev.align.train.config.ModelSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole experiment on tiny fixture sources with a micro model: every stage, equal compute,
 * the removal figures against the manifest, and resuming after an interruption. The experiment
 * trains two runs at a time ({@code parallelRuns} 2); one test runs it again one run at a time
 * and finds the same weights for every run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CurationExperimentTest {

    @TempDir
    static Path tmp;
    static Path sources;
    static CurationExperimentConfig config;
    static Path out;
    static ExperimentReport first;
    static String firstLog;

    static CurationExperimentConfig config(Path openmoji, long steps) {
        return config(openmoji, steps, 2);
    }

    static CurationExperimentConfig config(Path openmoji, long steps, int parallelRuns) {
        ClipConfig micro = new ClipConfig(ClipConfig.SCHEMA_VERSION, 16, ClipConfig.CLIP_LOGIT_SCALE,
                null, new VisionConfig(16, 8, 32, 1, 2, 2.0, Activation.GELU, 0.0),
                new TextConfig(16, 600, 32, 1, 2, 2.0, Activation.GELU, true, TextPool.ARGMAX, 0));
        Recipe recipe = new Recipe(new ModelSpec(null, micro, null), 16, steps, 8, null, null,
                null, null, null, null, 1, null);
        return new CurationExperimentConfig(CurationExperimentConfig.SCHEMA_VERSION, 3,
                List.of(0L, 1L), 2, parallelRuns,
                new PoolConfig(List.of(new SourceConfig("emoji", 0L, 0.1),
                        new SourceConfig("mdi", 0L, 0.1)), 16, 50),
                NoiseConfig.defaults(), new EvalConfig(10, null, openmoji.toString(), null, 16),
                MetadataConfig.defaults(), recipe, new FilterConfig(2L, null),
                CurationExperimentConfig.arms(4, 0.5, 0.7));
    }

    static ExperimentReport run(CurationExperimentConfig cfg, Path out, StringBuilder log)
            throws IOException {
        return run(cfg, out, log, new StopRequest());
    }

    static ExperimentReport run(CurationExperimentConfig cfg, Path out, StringBuilder log,
            StopRequest stop) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            ExperimentReport r = new CurationExperiment(cfg, out,
                    kind -> sources.resolve(kind), ps).stopWhen(stop).run();
            log.append(bytes.toString(StandardCharsets.UTF_8));
            return r;
        }
    }

    @BeforeAll
    static void runOnce() throws IOException {
        sources = tmp.resolve("sources");
        SourceFixtures.emoji(sources.resolve("emoji"), 30);
        SourceFixtures.mdi(sources.resolve("mdi"), 20);
        Path openmoji = SourceFixtures.openmojiImport(tmp.resolve("openmoji-import"), 30);
        config = config(openmoji, 3);
        out = tmp.resolve("experiment");
        StringBuilder log = new StringBuilder();
        first = run(config, out, log);
        firstLog = log.toString();
    }

    @Test
    @Order(1)
    void runsEveryStageAndWritesTheReportFolder() throws IOException {
        for (String f : List.of("report.json", "report.md", "config.json", "plots/zero-shot.png",
                "plots/head-tail.png", "plots/removal.png", "plots/concepts.png",
                "work/pool/manifest.jsonl", "filter/model/model.safetensors")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f + " is missing");
        }
        for (ArmConfig arm : config.arms()) {
            for (long seed : config.trainSeeds()) {
                Path run = out.resolve("arms").resolve(arm.name()).resolve("seed-" + seed);
                assertTrue(Files.isRegularFile(run.resolve("model").resolve("model.safetensors")),
                        run + " has no model");
                assertTrue(!Files.exists(run.resolve("checkpoints")), "checkpoints are cleaned up");
            }
        }
        JsonNode json = Json.mapper().readTree(out.resolve("report.json").toFile());
        assertEquals(6, json.path("arms").size());
        assertEquals(2L, first.leftOut().get("skin_tone"), "the skin-tone variant, both styles");
        assertTrue(first.evalSet().classes().size() <= 10 && first.evalSet().headClasses() >= 1,
                first.evalSet().toString());
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("| hybrid | CURATE | `align-rules:minShorterSide=0"), md);
    }

    @Test
    @Order(2)
    void everyArmSawTheSameNumberOfSamples() {
        Set<Long> samples = new HashSet<>();
        Set<Long> positions = new HashSet<>();
        for (ArmReport a : first.arms()) {
            assertEquals(2, a.runs().size(), a.name());
            for (SeedRun r : a.runs()) {
                assertEquals(3, r.train().steps());
                samples.add(r.train().samplesSeen());
                positions.add(r.train().streamPosition());
                assertEquals(24.0 / a.curation().pairsKept(), r.train().epochs(), 1e-12);
            }
        }
        assertEquals(Set.of(24L), samples, "3 steps x 8 for every arm and seed");
        assertEquals(Set.of(24L), positions, "the data sources took 24 samples each");
        Check equal = first.checks().stream().filter(c -> c.name().equals("equal compute"))
                .findFirst().orElseThrow();
        assertTrue(equal.passed(), equal.detail());
    }

    @Test
    @Order(3)
    void removalFiguresAgreeWithTheManifest() {
        for (Check c : first.checks()) {
            if (!c.name().startsWith("oracle zero-shot")) {      // 3 steps learn nothing
                assertTrue(c.passed(), c.name() + ": " + c.detail());
            }
        }
        ArmReport oracle = first.arms().stream().filter(a -> a.kind() == ArmKind.ORACLE)
                .findFirst().orElseThrow();
        assertEquals(1.0, oracle.curation().removal().precision());
        assertEquals(1.0, oracle.curation().removal().recall());
        assertEquals(first.pool().pairsByDefect().get("none").longValue(),
                oracle.curation().pairsKept());
        ArmReport raw = first.arms().get(0);
        assertEquals(first.pool().pairs(), raw.curation().pairsKept());
        assertEquals(null, raw.metrics().get("zeroShotTop1").vsRaw());
        assertNotNull(first.arms().get(1).metrics().get("zeroShotTop1").vsRaw());
        ArmReport hybrid = first.arms().stream().filter(a -> a.name().equals("hybrid"))
                .findFirst().orElseThrow();
        assertEquals(List.of("align-rules", "metaclip", "dfn"), hybrid.curation().speeds()
                .stream().map(StepSpeed::step).toList());
    }

    @Test
    @Order(4)
    void aFinishedExperimentIsNotRunAgain() throws IOException {
        StringBuilder log = new StringBuilder();
        ExperimentReport again = run(config, out, log);
        assertTrue(!log.toString().contains("experiment: training"), log.toString());
        assertTrue(!log.toString().contains("experiment: importing"), log.toString());
        assertEquals(first.arms().get(2).runs(), again.arms().get(2).runs());
    }

    @Test
    @Order(5)
    void anInterruptedRunResumesOnlyWhatIsMissing() throws IOException {
        Path run = out.resolve("arms").resolve("dfn").resolve("seed-1");
        EvalResult before = first.arms().get(3).runs().get(1).eval();
        Files.delete(run.resolve("run.json"));
        Files.delete(run.resolve("eval.json"));
        Files.delete(out.resolve("report.json"));
        StringBuilder log = new StringBuilder();
        ExperimentReport again = run(config, out, log);
        long trainings = log.toString().lines().filter(l -> l.startsWith("experiment: training"))
                .count();
        assertEquals(1, trainings, log.toString());
        assertTrue(log.toString().contains("experiment: training dfn seed 1"), log.toString());
        // Same seed, same thread count: the retrained model evaluates identically.
        EvalResult after = again.arms().get(3).runs().get(1).eval();
        assertEquals(before.all(), after.all());
        assertEquals(before.meanRecallAt1(), after.meanRecallAt1());
    }

    @Test
    @Order(6)
    void refusesAnotherConfigInTheSameFolder() {
        CurationExperimentConfig other = config(Path.of(config.eval().openmoji()), 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(other, out, new StringBuilder()));
        assertTrue(e.getMessage().contains("another config") && e.getMessage()
                .contains("config.json"), e.getMessage());
        assertTrue(firstLog.contains("experiment: plan: 6 arms x 2 seeds + filter = 13"),
                firstLog);
    }

    /**
     * What {@code ./align experiment} does on SIGTERM, in process: the request stops the training
     * run in progress after its step with a checkpoint, a pending request stops the experiment
     * before its next stage, and running it again resumes that run from the checkpoint and ends
     * with the weights of a run that never stopped.
     */
    @Test
    @Order(7)
    void aStopRequestCheckpointsTheTrainingRunAndTheExperimentResumesIt() throws IOException {
        Path run = out.resolve("arms").resolve("dfn").resolve("seed-1");
        EvalResult before = first.arms().get(3).runs().get(1).eval();
        byte[] weights = Files.readAllBytes(run.resolve("model").resolve("model.safetensors"));
        FileTrees.delete(run);
        Files.delete(out.resolve("report.json"));

        StopRequest stop = new StopRequest();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream stopsAtTheTraining = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                bytes.write(b);
                if (b == '\n' && bytes.toString(StandardCharsets.UTF_8)
                        .contains("experiment: training dfn seed 1")) {
                    stop.request("a test's request");        // before the run's first step
                }
            }
        }, true, StandardCharsets.UTF_8);
        TrainingStoppedException e = assertThrows(TrainingStoppedException.class,
                () -> new CurationExperiment(config, out, kind -> sources.resolve(kind),
                        stopsAtTheTraining).stopWhen(stop).run());
        assertEquals(1, e.step(), e.getMessage());
        assertEquals(run.resolve("checkpoints").resolve("step-00000001"), e.checkpoint());
        assertTrue(e.getMessage().contains("on a test's request")
                && e.getMessage().contains("run the same command again"), e.getMessage());
        assertTrue(Files.isDirectory(e.checkpoint()));
        assertFalse(Files.exists(run.resolve("run.json")) || Files.exists(run.resolve("model")));

        TrainingStoppedException between = assertThrows(TrainingStoppedException.class,
                () -> run(config, out, new StringBuilder(), stop));
        assertTrue(between.getMessage().contains("between stages"), between.getMessage());
        assertTrue(Files.isDirectory(e.checkpoint()), "a stop between stages leaves the run as it was");

        StringBuilder log = new StringBuilder();
        ExperimentReport again = run(config, out, log);
        assertTrue(log.toString().contains("experiment: training dfn seed 1: 3 steps x 8 on")
                && log.toString().contains("(resuming)"), log.toString());
        assertArrayEquals(weights, Files.readAllBytes(run.resolve("model").resolve("model.safetensors")),
                "resumed bit-exactly");
        assertEquals(before.all(), again.arms().get(3).runs().get(1).eval().all());
    }

    /**
     * The report folder on a full disk and read-only: an error that says so, no half-written or
     * temporary file, and {@code report.json} (written last) absent, so the folder does not read as
     * finished; the same call on a healthy disk writes it whole.
     */
    @Test
    @Order(8)
    void theReportOnAFullDiskOrReadOnlyFolderFailsCleanly() throws IOException {
        Path real = tmp.resolve("faulty-report");
        Files.createDirectories(real);
        Map<String, int[]> histograms = Map.of("raw", new int[] {5, 3, 1});
        FaultyFileSystem fs = FaultyFileSystem.over(real);
        Path report = fs.root().resolve("report");
        Files.createDirectories(report);
        fs.fillUp(20_000);                       // less than the four plots and two reports
        IOException full = assertThrows(IOException.class,
                () -> ReportFiles.write(first, histograms, report));
        assertTrue(says(full, FaultyFileSystem.NO_SPACE), full.toString());
        assertFalse(Files.exists(real.resolve("report").resolve(ReportFiles.REPORT_JSON)));
        try (Stream<Path> files = Files.walk(real.resolve("report"))) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                String name = p.getFileName().toString();
                assertTrue(!name.startsWith(".") && !name.contains("tmp"), "left behind: " + p);
                assertTrue(name.endsWith(".png") && Files.size(p) > 0, p.toString());
            }
        }
        fs.heal();
        fs.makeReadOnly(report);
        assertThrows(java.nio.file.AccessDeniedException.class,
                () -> ReportFiles.write(first, histograms, report));
        fs.heal();
        ReportFiles.write(first, histograms, report);
        assertEquals(Json.mapper().readTree(Json.write(first)), Json.mapper().readTree(
                Files.readString(real.resolve("report").resolve(ReportFiles.REPORT_JSON))));
    }

    /**
     * SIGTERM while two runs train side by side (held at their start until both are there): each
     * finishes its step and writes a checkpoint, the exception names both, and running the
     * experiment again resumes both and ends with the weights of runs that never stopped.
     */
    @Test
    @Order(9)
    void aStopCheckpointsEveryRunInProgressAndTheExperimentResumesThemAll() throws IOException {
        Map<String, byte[]> weights = new LinkedHashMap<>();
        for (String arm : List.of("dfn", "hybrid")) {
            Path run = out.resolve("arms").resolve(arm).resolve("seed-1");
            weights.put(arm, Files.readAllBytes(run.resolve("model").resolve("model.safetensors")));
            FileTrees.delete(run);
        }
        Files.delete(out.resolve("report.json"));

        StopRequest stop = new StopRequest();
        CyclicBarrier bothStarting = new CyclicBarrier(2, () -> stop.request("a test's request"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream holdsBothRuns = new PrintStream(bytes, true, StandardCharsets.UTF_8) {
            @Override
            public void println(String line) {
                if (line.startsWith("experiment: training dfn seed 1")
                        || line.startsWith("experiment: training hybrid seed 1")) {
                    try {                                 // outside the stream's lock
                        bothStarting.await(60, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new AssertionError("the two runs did not train at once", e);
                    }
                }
                super.println(line);
            }
        };
        TrainingStoppedException e = assertThrows(TrainingStoppedException.class,
                () -> new CurationExperiment(config, out, kind -> sources.resolve(kind),
                        holdsBothRuns).stopWhen(stop).run());
        String log = bytes.toString(StandardCharsets.UTF_8);
        Path dfn = out.resolve("arms").resolve("dfn").resolve("seed-1");
        Path hybrid = out.resolve("arms").resolve("hybrid").resolve("seed-1");
        assertEquals(1, e.step(), e.getMessage());
        assertEquals(dfn.resolve("checkpoints").resolve("step-00000001"), e.checkpoint(),
                "the first run in job order");
        assertTrue(e.getMessage().contains("on a test's request")
                && e.getMessage().contains("dfn seed 1 at step 1")
                && e.getMessage().contains("hybrid seed 1 at step 1"), e.getMessage());
        for (Path run : List.of(dfn, hybrid)) {
            assertTrue(Files.isDirectory(run.resolve("checkpoints").resolve("step-00000001")),
                    run + "\n" + log);
            assertFalse(Files.exists(run.resolve("run.json")) || Files.exists(run.resolve("model")));
        }
        assertTrue(log.contains("  dfn seed 1: step") && log.contains("  hybrid seed 1: step"),
                "each run's progress on lines of its own: " + log);

        StringBuilder again = new StringBuilder();
        run(config, out, again);
        assertEquals(2, again.toString().lines().filter(l -> l.startsWith("experiment: training")
                && l.endsWith("(resuming)")).count(), again.toString());
        for (String arm : weights.keySet()) {
            assertArrayEquals(weights.get(arm), Files.readAllBytes(out.resolve("arms")
                    .resolve(arm).resolve("seed-1").resolve("model").resolve("model.safetensors")),
                    arm + " resumed bit-exactly");
        }
    }

    /**
     * The same experiment one run at a time: every run, the filter network's too, ends with
     * byte-identical weights, and {@code report.json} holds the same content in the same order
     * but for timings, provenance and the setting itself. So a run does not depend on what
     * trains beside it or on the order in which runs finish. (Both use the test JVM's libtorch
     * thread count; {@code ./align experiment} gives parallel runs fewer threads each, which
     * changes float rounding the way any thread count does.)
     */
    @Test
    @Order(10)
    void oneRunAtATimeGivesTheSameWeightsAndTheSameReport() throws IOException {
        CurationExperimentConfig sequential = config(Path.of(config.eval().openmoji()), 3, 1);
        Path seqOut = tmp.resolve("one-at-a-time");
        ExperimentReport seq = run(sequential, seqOut, new StringBuilder());
        List<Path> runs = new ArrayList<>(List.of(Path.of("filter")));
        for (ArmConfig arm : config.arms()) {
            for (long seed : config.trainSeeds()) {
                runs.add(Path.of("arms", arm.name(), "seed-" + seed));
            }
        }
        for (Path run : runs) {
            Path weights = run.resolve("model").resolve("model.safetensors");
            assertArrayEquals(Files.readAllBytes(out.resolve(weights)),
                    Files.readAllBytes(seqOut.resolve(weights)), run.toString());
        }
        assertEquals(comparable(first, out), comparable(seq, seqOut));
        assertEquals(1, seq.config().parallelRuns());
        assertEquals(2, first.config().parallelRuns());
    }

    /**
     * {@code parallelRuns} only sets how many runs train at once: a folder resumes with another
     * value, or with none (a folder written before the setting existed), and its
     * {@code config.json} then holds the value in use. Any other difference still refuses.
     */
    @Test
    @Order(11)
    void aFolderResumesWithAnotherParallelRuns() throws IOException {
        Path file = out.resolve("config.json");
        String now = Files.readString(file, StandardCharsets.UTF_8);
        String older = now.replaceAll("\\s*\"parallelRuns\" : 2,", "");
        assertFalse(older.contains("parallelRuns"), older);
        Files.writeString(file, older, StandardCharsets.UTF_8);
        StringBuilder log = new StringBuilder();
        run(config, out, log);
        assertTrue(log.toString().contains("experiment: resuming the experiment")
                && !log.toString().contains("experiment: training"), log.toString());
        assertEquals(now, Files.readString(file, StandardCharsets.UTF_8));
        Path openmoji = Path.of(config.eval().openmoji());
        assertTrue(CurationExperiment.sameExperiment(now, config(openmoji, 3, 1).toJson()));
        assertFalse(CurationExperiment.sameExperiment(now, config(openmoji, 4).toJson()));
        assertFalse(CurationExperiment.sameExperiment("not json", now));
    }

    /** A report as JSON without what may differ: timings, provenance, folders, the setting. */
    private static JsonNode comparable(ExperimentReport report, Path folder) throws IOException {
        String json = Json.write(report).replace(folder.toAbsolutePath().toString(), "OUT");
        JsonNode tree = Json.mapper().readTree(json);
        strip(tree, Set.of("seconds", "samplesPerSecond", "pairsPerSecond", "provenance",
                "parallelRuns", "parallelSpeedup", "estimatedTrainingMinutes"));
        return tree;
    }

    private static void strip(JsonNode node, Set<String> names) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            o.remove(names);
        }
        node.forEach(child -> strip(child, names));
    }

    private static boolean says(Throwable e, String what) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains(what)) {
                return true;
            }
        }
        return false;
    }
}
