package dev.align.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align.core.json.Json;
import dev.align.train.config.TrainConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main command, {@code ./align demo}, end to end at a size a test can afford. */
class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void syntheticDemoRunsEveryStepAndWritesWhatItPromises() throws IOException {
        Path out = dir.resolve("demo");
        PrintStream old = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            status = Main.run(new String[] {"demo", "--out", out.toString(), "--count", "300",
                    "--steps", "3", "--batch", "16"});
        } finally {
            System.setOut(old);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text);
        for (String step : new String[] {"[1/4]", "[2/4]", "[3/4]", "[4/4]", "demo done"}) {
            assertTrue(text.contains(step), "missing " + step + " in:\n" + text);
        }
        // The shorter context is what the import wrote and what the run trained with.
        JsonNode imported = Json.mapper().readTree(out.resolve("data/import.json").toFile());
        assertEquals(DemoCommand.SYNTHETIC_CONTEXT, imported.get("contextLength").asInt());
        TrainConfig config = Json.mapper().readValue(out.resolve("train.json").toFile(),
                TrainConfig.class);
        assertEquals(3, config.steps());
        assertEquals(16, config.globalBatch());
        JsonNode zeroShot = Json.mapper().readTree(out.resolve("zero-shot.json").toFile());
        JsonNode set = zeroShot.get("datasets").get(0);
        assertEquals(48, set.get("classes").asInt(), zeroShot.toString());
        assertTrue(set.get("evaluated").asInt() > 0, zeroShot.toString());
        assertTrue(Files.size(out.resolve("search.png")) > 0);
        assertTrue(Files.isRegularFile(out.resolve("run/model/tokenizer.json")));
    }

    @Test
    void refusesAFolderThatIsNotAnEarlierDemo() throws IOException {
        Path other = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(other.resolve("notes.txt"), "keep me");
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = Main.run(new String[] {"demo", "--out", other.toString(), "--steps", "1"});
        } finally {
            System.setErr(oldErr);
        }
        assertTrue(status != 0);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is not an earlier demo's folder"),
                err.toString(StandardCharsets.UTF_8));
        assertTrue(Files.exists(other.resolve("notes.txt")));
    }
}
