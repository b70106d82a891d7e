package dev.align.train.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TrainConfigTest {

    static final String MINIMAL = """
            {"schemaVersion": 1, "model": {"preset": "tiny"}, "data": {"kind": "SYNTHETIC"},
             "loss": {"kind": "INFONCE"}, "optimizer": {"peakLr": 5e-4, "warmupSteps": 10},
             "globalBatch": 256, "microBatch": 64, "steps": 200, "seed": 7}""";

    private static IllegalArgumentException rejects(String json) {
        return assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromJson(json));
    }

    @Test
    void fillsOpenClipDefaults() {
        TrainConfig c = TrainConfig.fromJson(MINIMAL);
        assertEquals(0.9, c.optimizer().beta1());
        assertEquals(0.98, c.optimizer().beta2());
        assertEquals(1e-6, c.optimizer().eps());
        assertEquals(0.1, c.optimizer().weightDecay());
        assertEquals(1.0, c.optimizer().gradClipNorm());
        assertEquals(20L, c.checkpointEvery());
        assertEquals(3, c.keepCheckpoints());
        assertEquals("cpu", c.device());
        assertEquals(c, TrainConfig.fromJson(c.toJson()), "the filled-in form reads back the same");
        assertTrue(c.isCheckpointStep(19) && c.isCheckpointStep(199) && !c.isCheckpointStep(20));
    }

    @Test
    void namesTyposAndMissingKeys() {
        IllegalArgumentException typo = rejects(MINIMAL.replace("\"peakLr\"", "\"peak_lr\""));
        assertTrue(typo.getMessage().contains("'peak_lr'") && typo.getMessage().contains("'optimizer'")
                && typo.getMessage().contains("typo"), typo.getMessage());
        IllegalArgumentException top = rejects(MINIMAL.replace("\"seed\"", "\"sed\""));
        assertTrue(top.getMessage().contains("'sed'"), top.getMessage());
        IllegalArgumentException missing = rejects(MINIMAL.replace("\"steps\": 200,", ""));
        assertTrue(missing.getMessage().contains("missing key 'steps'"), missing.getMessage());
        IllegalArgumentException kind = rejects(MINIMAL.replace("\"INFONCE\"", "\"INFO_NCE\""));
        assertTrue(kind.getMessage().contains("INFO_NCE"), kind.getMessage());
    }

    @Test
    void checksInvariantsWithTheValues() {
        assertTrue(rejects(MINIMAL.replace("\"microBatch\": 64", "\"microBatch\": 300")).getMessage()
                .contains("300"));
        assertTrue(rejects(MINIMAL.replace("\"warmupSteps\": 10", "\"warmupSteps\": 200")).getMessage()
                .contains("warmupSteps 200"));
        assertTrue(rejects(MINIMAL.replace("{\"preset\": \"tiny\"}", "{\"preset\": \"ViT-Z\"}"))
                .getMessage().contains("ViT-Z"));
        assertTrue(rejects(MINIMAL.replace("{\"preset\": \"tiny\"}", "{}")).getMessage()
                .contains("exactly one"));
        assertTrue(rejects(MINIMAL.replace("\"loss\": {\"kind\": \"INFONCE\"}",
                "\"loss\": {\"kind\": \"SIGLIP\", \"labelSmoothing\": 0.1}")).getMessage()
                .contains("InfoNCE only"));
        rejects(MINIMAL.replace("\"globalBatch\": 256", "\"globalBatch\": 0"));
        rejects(MINIMAL.replace("\"schemaVersion\": 1", "\"schemaVersion\": 2"));
    }
}
