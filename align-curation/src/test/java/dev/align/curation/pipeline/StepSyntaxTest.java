package dev.align.curation.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.curation.rules.AlignRulesConfig;
import dev.align.curation.rules.RareTokenMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepSyntaxTest {

    @TempDir
    Path tmp;

    @Test
    void parsesStepsAndTheirSettings() throws IOException {
        List<StepConfig> steps = StepSyntax.parse(
                "align-rules,metaclip:metadata=m.txt,t=500,seed=3,dfn:model=runs/f/model,top=0.15");
        assertEquals(3, steps.size());
        assertEquals(AlignRulesConfig.defaults(), steps.get(0).alignRules());
        assertEquals(new MetaClipStepConfig("m.txt", 500L, 3L), steps.get(1).metaclip());
        DfnStepConfig dfn = steps.get(2).dfn();
        assertEquals("runs/f/model", dfn.model());
        assertEquals(0.15, dfn.top());
        assertNull(dfn.threshold());
        assertEquals(64, dfn.batchSize());
    }

    @Test
    void alignRulesTakeInlineThresholdsOrAJsonFile() throws IOException {
        AlignRulesConfig inline = StepSyntax.parse("align-rules:maxWords=30,rareTokenMode=OFF")
                .get(0).alignRules();
        assertEquals(30, inline.maxWords());
        assertEquals(RareTokenMode.OFF, inline.rareTokenMode());
        Path file = tmp.resolve("rules.json");
        Files.writeString(file, "{\"minShorterSide\": 64}");
        assertEquals(64, StepSyntax.parse("align-rules:config=" + file).get(0).alignRules()
                .minShorterSide());
    }

    @Test
    void mistakesAreNamed() {
        assertMessage("unknown curation step 'metaclap'", "metaclap:metadata=m.txt");
        assertMessage("unknown key 'tt'", "metaclip:metadata=m.txt,tt=5");
        assertMessage("t must be a number", "metaclip:metadata=m.txt,t=lots");
        assertMessage("whole number", "metaclip:metadata=m.txt,t=2.5");
        assertMessage("exactly one of top", "dfn:model=x,top=0.1,threshold=0.2");
        assertMessage("missing key 'metadata'", "metaclip");
        assertMessage("before any step", "t=5,metaclip:metadata=m.txt");
        assertMessage("appears twice", "align-rules,align-rules");
    }

    /**
     * Fuzz findings: {@code config=FILE} escaped as a bare {@code NoSuchFileException: rules.js}
     * for a missing file and {@code MalformedInputException} for one that is not UTF-8.
     */
    @Test
    void aMissingOrUnreadableRulesFileIsNamed() throws IOException {
        assertMessage("--steps align-rules: config file rules.js does not exist",
                "align-rules:config=rules.js");
        Path file = tmp.resolve("rules.json");
        Files.write(file, new byte[] {'{', (byte) 0xFE, '}'});
        assertMessage(file + " is not valid UTF-8: byte 0xFE at offset 1",
                "align-rules:config=" + file);
    }

    private static void assertMessage(String expected, String steps) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CurationConfig.of(StepSyntax.parse(steps)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void jsonConfigIsStrict() throws IOException {
        Path file = tmp.resolve("steps.json");
        Files.writeString(file, """
                {"schemaVersion": 1, "threads": 1,
                 "steps": [{"kind": "ALIGN_RULES", "alignRules": {"maxWords": 12}},
                           {"kind": "METACLIP", "metaclip": {"metadata": "m.txt"}}]}""");
        CurationConfig cfg = CurationConfig.fromJson(file);
        assertEquals(12, cfg.steps().get(0).alignRules().maxWords());
        assertEquals(20_000L, cfg.steps().get(1).metaclip().t());
        assertEquals(10_000, cfg.samplesPerShard());
        Files.writeString(file, """
                {"schemaVersion": 1, "steps": [{"kind": "METACLIP", "metaclip": {"metadata": "m"},
                 "dfn": {"model": "x", "top": 0.1}}]}""");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CurationConfig.fromJson(file));
        assertTrue(e.getMessage().contains("takes only its own settings"), e.getMessage());
        Files.writeString(file, "{\"schemaVersion\": 1, \"step\": []}");
        e = assertThrows(IllegalArgumentException.class, () -> CurationConfig.fromJson(file));
        assertTrue(e.getMessage().contains("unknown key 'step'"), e.getMessage());
    }
}
