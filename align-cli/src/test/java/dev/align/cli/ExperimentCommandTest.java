package dev.align.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.experiments.curation.CurationExperimentConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentCommandTest {

    @TempDir
    Path dir;

    @Test
    void printsTheQuickConfigAndItsPlanWithoutRunning() throws Exception {
        Path out = dir.resolve("exp");
        Cli.Result r = Cli.run("experiment", "curation", "--quick", "--print-config", "--out",
                out.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(CurationExperimentConfig.quick(),
                CurationExperimentConfig.fromJson(r.out(), "stdout"));
        assertTrue(r.err().contains("plan: 6 arms x 2 seeds + filter = 13 training runs"),
                r.err());
        assertTrue(!Files.exists(out), "printing the config runs nothing");
        Path file = dir.resolve("exp.json");
        Files.writeString(file, r.out());
        Cli.Result again = Cli.run("experiment", "curation", "--config", file.toString(),
                "--print-config", "--out", out.toString());
        assertEquals(r.out(), again.out());
        Cli.Result bare = Cli.run("experiment", "curation", "--print-config");    // as the README
        assertEquals(0, bare.status(), bare.err());
        assertEquals(CurationExperimentConfig.full(),
                CurationExperimentConfig.fromJson(bare.out(), "stdout"));
    }

    @Test
    void runningWithoutOutIsAUsageErrorThatSaysSo() {
        Cli.Result r = Cli.run("experiment", "curation", "--quick", "--no-fetch");
        assertEquals(2, r.status());
        assertEquals("align: --out DIR is required to run the experiment (only --print-config "
                + "runs without one)\n", r.err());
    }

    @Test
    void quickAndConfigTogetherIsAUsageError() throws Exception {
        Path file = dir.resolve("exp.json");
        Files.writeString(file, CurationExperimentConfig.quick().toJson());
        Cli.Result r = Cli.run("experiment", "curation", "--quick", "--config", file.toString(),
                "--out", dir.resolve("exp").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("either --quick or --config"), r.err());
    }
}
