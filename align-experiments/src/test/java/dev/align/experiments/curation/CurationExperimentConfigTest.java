package dev.align.experiments.curation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.train.config.TrainConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class CurationExperimentConfigTest {

    static final String MINIMAL = """
            {"schemaVersion": 1, "seed": 0, "trainSeeds": [0, 1, 2],
             "pool": {"sources": [{"kind": "emoji"}]},
             "arms": [{"name": "raw", "kind": "RAW"}, {"name": "oracle", "kind": "ORACLE"}]}
            """;

    @Test
    void fullAndQuickSurviveTheirJson() {
        for (CurationExperimentConfig c : List.of(CurationExperimentConfig.full(),
                CurationExperimentConfig.quick())) {
            assertEquals(c, CurationExperimentConfig.fromJson(c.toJson(), "test"));
        }
    }

    @Test
    void defaultsAreFilledIn() {
        CurationExperimentConfig c = CurationExperimentConfig.fromJson(MINIMAL, "test");
        assertEquals(0.30, c.noise().mismatch());
        assertEquals(0.40, c.noise().headShare());
        assertEquals("tiny", c.recipe().model().preset());
        assertEquals(32, c.recipe().imageSize());
        assertEquals(320L, c.recipe().steps());
        assertEquals(128, c.recipe().globalBatch());
        assertEquals(128, c.recipe().microBatch());
        assertEquals(1e-3, c.recipe().peakLr());
        assertEquals(0, c.eval().classes());
        assertEquals(false, c.arms().get(1).dropNearDuplicates());
    }

    @Test
    void rejectsUnknownKeysNamingThem() {
        IllegalArgumentException top = assertThrows(IllegalArgumentException.class,
                () -> CurationExperimentConfig.fromJson(MINIMAL.replace("\"seed\": 0",
                        "\"seed\": 0, \"recipie\": {}"), "exp.json"));
        assertTrue(top.getMessage().contains("recipie"), top.getMessage());
        IllegalArgumentException nested = assertThrows(IllegalArgumentException.class,
                () -> CurationExperimentConfig.fromJson(MINIMAL.replace("{\"kind\": \"emoji\"}",
                        "{\"kind\": \"emoji\", \"limt\": 5}"), "exp.json"));
        assertTrue(nested.getMessage().contains("limt"), nested.getMessage());
    }

    @Test
    void rejectsArmsThatCannotWork() {
        assertMessage(MINIMAL.replace("{\"name\": \"raw\", \"kind\": \"RAW\"}, ", ""),
                "exactly one arm must be RAW");
        assertMessage(MINIMAL.replace("\"name\": \"oracle\", \"kind\": \"ORACLE\"",
                "\"name\": \"dfn\", \"kind\": \"CURATE\""), "a CURATE arm needs steps");
        assertMessage(MINIMAL.replace("\"kind\": \"ORACLE\"",
                "\"kind\": \"ORACLE\", \"steps\": \"dfn:model=m,top=0.5\""), "a CURATE arm");
        assertMessage(MINIMAL.replace("\"name\": \"oracle\"", "\"name\": \"raw\""),
                "arm raw appears twice");
        assertMessage(MINIMAL.replace("\"name\": \"oracle\"", "\"name\": \"Oracle!\""),
                "arm name must match");
        assertMessage(MINIMAL.replace("[0, 1, 2]", "[0, 0]"), "repeats a seed");
        assertMessage(MINIMAL.replace("\"pool\": {", "\"noise\": {\"mismatch\": 0.6, "
                + "\"junk\": 0.5}, \"pool\": {"), "leave some pairs clean");
        assertMessage(MINIMAL.replace("\"pool\": {", "\"recipe\": {\"imageSize\": 30}, "
                + "\"pool\": {"), "multiple of the model's patch size");
    }

    @Test
    void recipeGivesEveryRunTheSameScheduleAndAFullShuffleBuffer() {
        Recipe r = Recipe.defaults();
        TrainConfig small = r.trainConfig(160, "a/{00000..00001}.tar", "t.json", 1, 2, 300);
        TrainConfig large = r.trainConfig(160, "b/{00000..00011}.tar", "t.json", 1, 2, 12_000);
        assertEquals(16L, small.optimizer().warmupSteps());
        assertEquals(small.optimizer(), large.optimizer());
        assertEquals(small.steps(), large.steps());
        assertEquals(small.globalBatch(), large.globalBatch());
        assertEquals(small.model(), large.model());
        assertEquals(1000, small.data().shuffleBuffer(), "never below the recipe's buffer");
        assertEquals(12_000, large.data().shuffleBuffer(), "never below the set's size");
        assertEquals(32, small.model().resolve().vision().imageSize());
        Recipe bigger = CurationExperimentConfig.fromJson(MINIMAL.replace("\"pool\": {",
                "\"recipe\": {\"imageSize\": 48}, \"pool\": {"), "t").recipe();
        assertEquals(48, bigger.clipConfig().vision().imageSize());
        assertEquals(4, bigger.clipConfig().vision().patchSize());
    }

    @Test
    void thePlanCountsEveryRun() {
        Plan p = Plan.of(withRuns(CurationExperimentConfig.full(), 2, 1));
        assertEquals(19, p.runs());                           // 6 arms x 3 seeds + the filter
        assertEquals(320L * 128, p.samplesPerRun());
        assertEquals(19L * 320 * 128, p.totalSamples());
        assertEquals(19.0 * 320 * 128 / 195 / 60, p.estimatedTrainingMinutes(), 1e-9);
        assertTrue(p.describe().contains("19 training runs")
                && p.describe().contains("one run at a time"), p.describe());
    }

    /** Two runs at a time are assumed to do 1.3 times the work of one, as measured, not twice. */
    @Test
    void thePlanAssumesWhatParallelRunsGiveNotMore() {
        Plan one = Plan.of(withRuns(CurationExperimentConfig.full(), 2, 1));
        Plan two = Plan.of(withRuns(CurationExperimentConfig.full(), 2, 2));
        assertEquals(2, two.parallelRuns());
        assertEquals(1.3, two.parallelSpeedup(), 1e-12);
        assertEquals(one.estimatedTrainingMinutes() / 1.3, two.estimatedTrainingMinutes(), 1e-9);
        assertTrue(two.describe().contains("2 runs at a time, assumed 1.3x"), two.describe());
        assertEquals(1.0, Plan.speedup(1));
        assertEquals(2.6, Plan.speedup(4), 1e-12);
    }

    @Test
    void parallelRunsDefaultsToTheCoresWithinThreadsAndSharesThem() {
        int cores = Runtime.getRuntime().availableProcessors();
        CurationExperimentConfig c = CurationExperimentConfig.fromJson(MINIMAL, "test");
        assertEquals(cores, c.threads());
        assertEquals(cores, c.parallelRuns());
        assertEquals(1, c.threadsPerRun());
        CurationExperimentConfig capped = CurationExperimentConfig.fromJson(MINIMAL.replace(
                "\"seed\": 0", "\"seed\": 0, \"threads\": 1"), "test");
        assertEquals(1, capped.parallelRuns(), "never more runs than threads");
        CurationExperimentConfig odd = CurationExperimentConfig.fromJson(MINIMAL.replace(
                "\"seed\": 0", "\"seed\": 0, \"threads\": 5, \"parallelRuns\": 2"), "test");
        assertEquals(2, odd.threadsPerRun(), "rounded down");
        assertEquals(odd, CurationExperimentConfig.fromJson(odd.toJson(), "round trip"));
        assertMessage(MINIMAL.replace("\"seed\": 0", "\"seed\": 0, \"threads\": 2, "
                + "\"parallelRuns\": 3"), "parallelRuns must be between 1 and threads (2), got 3");
        assertMessage(MINIMAL.replace("\"seed\": 0", "\"seed\": 0, \"parallelRuns\": 0"),
                "parallelRuns must be between 1 and threads");
    }

    /** A copy of {@code c} with other thread settings. */
    static CurationExperimentConfig withRuns(CurationExperimentConfig c, int threads,
            int parallelRuns) {
        return new CurationExperimentConfig(c.schemaVersion(), c.seed(), c.trainSeeds(), threads,
                parallelRuns, c.pool(), c.noise(), c.eval(), c.metadata(), c.recipe(), c.filter(),
                c.arms());
    }

    private static void assertMessage(String json, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CurationExperimentConfig.fromJson(json, "exp.json"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
