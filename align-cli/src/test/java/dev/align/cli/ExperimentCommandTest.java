package dev.align.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.experiments.curation.CurationExperimentConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentCommandTest {

    @TempDir
    Path dir;

    /** Runs the command line, returning {status, stdout, stderr}. */
    private static Object[] run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = Main.run(args);
            return new Object[] {status, out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void printsTheQuickConfigAndItsPlanWithoutRunning() throws Exception {
        Path out = dir.resolve("exp");
        Object[] r = run("experiment", "curation", "--quick", "--print-config", "--out",
                out.toString());
        assertEquals(0, r[0], (String) r[2]);
        assertEquals(CurationExperimentConfig.quick(),
                CurationExperimentConfig.fromJson((String) r[1], "stdout"));
        assertTrue(((String) r[2]).contains("plan: 6 arms x 2 seeds + filter = 13 training runs"),
                (String) r[2]);
        assertTrue(!Files.exists(out), "printing the config runs nothing");
        Path file = dir.resolve("exp.json");
        Files.writeString(file, (String) r[1]);
        Object[] again = run("experiment", "curation", "--config", file.toString(),
                "--print-config", "--out", out.toString());
        assertEquals(r[1], again[1]);
    }

    @Test
    void quickAndConfigTogetherIsAUsageError() throws Exception {
        Path file = dir.resolve("exp.json");
        Files.writeString(file, CurationExperimentConfig.quick().toJson());
        Object[] r = run("experiment", "curation", "--quick", "--config", file.toString(),
                "--out", dir.resolve("exp").toString());
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).contains("either --quick or --config"), (String) r[2]);
    }
}
