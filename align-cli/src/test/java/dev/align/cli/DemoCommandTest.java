package dev.align.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align.core.json.Json;
import dev.align.data.image.ImageTransform;
import dev.align.train.config.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The README's main command, {@code ./align demo}, end to end at a size a test can afford. */
class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void syntheticDemoRunsEveryStepAndWritesWhatItPromises() throws IOException {
        Path out = dir.resolve("demo");
        Cli.Result r = Cli.run("demo", "--out", out.toString(), "--count", "300", "--steps", "3",
                "--batch", "16", "--crop", "CENTER");
        String text = r.out();
        assertEquals(0, r.status(), text + r.err());
        for (String step : new String[] {"[1/4]", "[2/4]", "[3/4]", "[4/4]", "demo done"}) {
            assertTrue(text.contains(step), "missing " + step + " in:\n" + text);
        }
        // Each step says what it cost, so a slow demo shows where its time went.
        assertTrue(Pattern.compile("\\[2/4] took \\d+\\.\\d s \\(\\d+\\.\\d CPU-s\\)")
                .matcher(text).find(), text);
        assertTrue(Pattern.compile("demo done in \\d+\\.\\d s \\(\\d+\\.\\d CPU-s\\) "
                + "since the JVM started").matcher(text).find(), text);
        // The shorter context is what the import wrote and what the run trained with.
        JsonNode imported = Json.mapper().readTree(out.resolve("data/import.json").toFile());
        assertEquals(DemoCommand.SYNTHETIC_CONTEXT, imported.get("contextLength").asInt());
        TrainConfig config = Json.mapper().readValue(out.resolve("train.json").toFile(),
                TrainConfig.class);
        assertEquals(3, config.steps());
        assertEquals(16, config.globalBatch());
        assertEquals(ImageTransform.Crop.CENTER, config.data().crop());
        JsonNode zeroShot = Json.mapper().readTree(out.resolve("zero-shot.json").toFile());
        JsonNode set = zeroShot.get("datasets").get(0);
        assertEquals(48, set.get("classes").asInt(), zeroShot.toString());
        assertTrue(set.get("evaluated").asInt() > 0, zeroShot.toString());
        assertTrue(Files.size(out.resolve("search.png")) > 0);
        assertTrue(Files.isRegularFile(out.resolve("run/model/tokenizer.json")));
    }

    @Test
    void trainsWithOpenClipsRandomResizedCropUnlessToldOtherwise() {
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs();
        assertEquals(ImageTransform.Crop.RANDOM_RESIZED, demo.crop);
    }

    @Test
    void tookShowsWallAndCpuSecondsOrWallAloneWhenCpuIsUnknown() {
        assertEquals("12.3 s (20.1 CPU-s)", DemoCommand.took(12.34, 20.06));
        assertEquals("0.5 s", DemoCommand.took(0.49, Double.NaN));
    }

    @Test
    void refusesAFolderThatIsNotAnEarlierDemo() throws IOException {
        Path other = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(other.resolve("notes.txt"), "keep me");
        Cli.Result r = Cli.run("demo", "--out", other.toString(), "--steps", "1");
        assertTrue(r.status() != 0);
        assertTrue(r.err().contains("is not an earlier demo's folder"), r.err());
        assertTrue(Files.exists(other.resolve("notes.txt")));
    }

    /** An emoji demo with other styles imports into its own folder, never reusing another's. */
    @Test
    void emojiStylesGetTheirOwnImportFolder() {
        assertEquals("emoji", DemoCommand.emojiFolder(
                dev.align.data.imports.EmojiImporter.Style.parseList("twitter,google")));
        assertEquals("emoji-apple-facebook-google-twitter", DemoCommand.emojiFolder(
                dev.align.data.imports.EmojiImporter.Style.parseList(
                        "google,twitter,facebook,apple")));
        assertEquals("emoji-google", DemoCommand.emojiFolder(
                dev.align.data.imports.EmojiImporter.Style.parseList("google")));
    }
}
