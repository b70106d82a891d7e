package dev.align.experiments.curation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align.core.json.Json;
import dev.align.experiments.eval.EvalResult;
import dev.align.models.config.Activation;
import dev.align.models.config.ClipConfig;
import dev.align.models.config.TextConfig;
import dev.align.models.config.TextPool;
import dev.align.models.config.VisionConfig;
import dev.align.experiments.pool.NoiseConfig;
import dev.align.train.config.ModelSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole experiment on tiny fixture sources with a micro model: every stage, equal compute,
 * the removal figures against the manifest, and resuming after an interruption.
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
        ClipConfig micro = new ClipConfig(ClipConfig.SCHEMA_VERSION, 16, ClipConfig.CLIP_LOGIT_SCALE,
                null, new VisionConfig(16, 8, 32, 1, 2, 2.0, Activation.GELU, 0.0),
                new TextConfig(16, 600, 32, 1, 2, 2.0, Activation.GELU, true, TextPool.ARGMAX, 0));
        Recipe recipe = new Recipe(new ModelSpec(null, micro, null), 16, steps, 8, null, null,
                null, null, null, null, 1, null);
        return new CurationExperimentConfig(CurationExperimentConfig.SCHEMA_VERSION, 3,
                List.of(0L, 1L), 1,
                new PoolConfig(List.of(new SourceConfig("emoji", 0L, 0.1),
                        new SourceConfig("mdi", 0L, 0.1)), 16, 50),
                NoiseConfig.defaults(), new EvalConfig(10, null, openmoji.toString(), null, 16),
                MetadataConfig.defaults(), recipe, new FilterConfig(2L, null),
                CurationExperimentConfig.arms(4, 0.5, 0.7));
    }

    static ExperimentReport run(CurationExperimentConfig cfg, Path out, StringBuilder log)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            ExperimentReport r = new CurationExperiment(cfg, out,
                    kind -> sources.resolve(kind), ps).run();
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
}
