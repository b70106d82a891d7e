package dev.align.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align.core.io.SafeTensors;
import dev.align.core.io.TensorData;
import dev.align.core.json.Json;
import dev.align.models.io.ModelBundle;
import dev.align.models.io.Provenance;
import dev.align.train.checkpoint.Checkpoints;
import dev.align.train.config.TrainConfig;
import dev.align.train.data.DataSources;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint written by an older align (the frozen fixture of commit 92191b5, see
 * align-models' {@code src/test/resources/frozen/README.md}) still verifies, restores into
 * today's trainer, and the run it resumes ends in a model folder today's reader accepts.
 */
class FrozenCheckpointTest {

    @TempDir
    Path dir;

    @Test
    void aVersionOneCheckpointStillVerifiesAndResumes() throws IOException, URISyntaxException {
        Path frozen = Path.of(getClass().getResource("/frozen/v1-checkpoint/step-00000002").toURI());
        Path run = dir.resolve("run");
        Path copy = run.resolve("checkpoints/step-00000002");
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(frozen)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        Checkpoints.Found found = new Checkpoints(run.resolve("checkpoints"), 1).latestValid()
                .orElseThrow(() -> new AssertionError("the frozen checkpoint did not verify"));
        assertEquals(2, found.state().step());
        assertEquals(16, found.state().dataPosition());
        // The run's own config, from its provenance, with synthetic data (the shards are not kept)
        // and one step more.
        Provenance provenance = Json.read(copy.resolve("provenance.json"), Provenance.class);
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(provenance.config());
        config.putObject("data").put("kind", "SYNTHETIC");
        config.put("steps", 3);
        TrainConfig cfg = TrainConfig.fromJson(config.toString());
        assertEquals(7, cfg.seed());
        Map<String, TensorData> saved = SafeTensors.read(found.model());
        try (Trainer trainer = Trainer.open(cfg, DataSources.open(cfg), run, true)) {
            assertEquals(2, trainer.step(), "resumed after the frozen checkpoint's step");
            for (Map.Entry<String, TensorData> e : saved.entrySet()) {
                assertArrayEquals(e.getValue().toFloatArray(), trainer.model().openClipParameters()
                        .get(e.getKey()).getArray().toFloatArray(), e.getKey());
            }
            TrainResult result = trainer.run(new PrintStream(new ByteArrayOutputStream()));
            assertEquals(3, result.steps());
            assertTrue(Double.isFinite(result.finalLoss()));
        }
        try (ModelBundle bundle = ModelBundle.read(run.resolve("model"))) {
            assertEquals(ModelBundle.SCHEMA_VERSION, bundle.schemaVersion());
            assertEquals(cfg.model().resolve(), bundle.config());
        }
    }
}
