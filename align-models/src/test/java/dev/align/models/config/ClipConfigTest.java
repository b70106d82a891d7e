package dev.align.models.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ClipConfigTest {

    static java.util.List<String> presets() {
        java.util.List<String> names = new java.util.ArrayList<>(ClipConfig.presetNames());
        names.add("ViT-B-32-quickgelu");
        return names;
    }

    @ParameterizedTest
    @MethodSource("presets")
    void everyPresetSurvivesAJsonRoundTrip(String name) {
        ClipConfig c = ClipConfig.preset(name);
        assertEquals(c, ClipConfig.fromJson(c.toJson()));
    }

    @Test
    void openClipDimensionsOfViTB32() {
        ClipConfig c = ClipConfig.preset("ViT-B-32");
        assertEquals(512, c.embedDim());
        assertEquals(224, c.vision().imageSize());
        assertEquals(32, c.vision().patchSize());
        assertEquals(768, c.vision().width());
        assertEquals(12, c.vision().heads());
        assertEquals(50, c.vision().tokens());
        assertEquals(77, c.text().contextLength());
        assertEquals(49408, c.text().vocabSize());
        assertEquals(Activation.GELU, c.text().activation());
        assertEquals(Activation.QUICK_GELU, ClipConfig.preset("ViT-L-14-quickgelu").vision().activation());
        assertEquals(Math.log(1 / 0.07), c.initLogitScale(), 1e-15);
    }

    @Test
    void rejectsUnknownKeysNamingThem() {
        String json = ClipConfig.test().toJson().replace("\"patchSize\"", "\"patchSzie\"");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClipConfig.fromJson(json));
        assertTrue(e.getMessage().contains("patchSzie") && e.getMessage().contains("typo"),
                e.getMessage());
    }

    @Test
    void rejectsMissingKeysDuplicatesAndBadEnums() {
        String json = ClipConfig.test().toJson();
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ClipConfig.fromJson(json.replace("\"embedDim\" : 24,", "")));
        assertTrue(missing.getMessage().contains("embedDim"), missing.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ClipConfig.fromJson(json.replace("\"embedDim\" : 24,", "\"embedDim\" : 24, \"embedDim\" : 25,")));
        IllegalArgumentException act = assertThrows(IllegalArgumentException.class,
                () -> ClipConfig.fromJson(json.replaceFirst("\"GELU\"", "\"RELU\"")));
        assertTrue(act.getMessage().contains("RELU"), act.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClipConfig.fromJson(json + "{}"));
        assertThrows(IllegalArgumentException.class,
                () -> ClipConfig.fromJson(json.replace("\"embedDim\" : 24", "\"embedDim\" : 24.5")));
    }

    @Test
    void invariantsNameTheOffendingValue() {
        IllegalArgumentException patch = assertThrows(IllegalArgumentException.class,
                () -> new VisionConfig(30, 4, 32, 2, 4, 4.0, Activation.GELU, 0));
        assertTrue(patch.getMessage().contains("4") && patch.getMessage().contains("30"), patch.getMessage());
        IllegalArgumentException heads = assertThrows(IllegalArgumentException.class,
                () -> new TextConfig(8, 64, 32, 2, 5, 4.0, Activation.GELU, true, TextPool.ARGMAX, 0));
        assertTrue(heads.getMessage().contains("5"), heads.getMessage());
        IllegalArgumentException json = assertThrows(IllegalArgumentException.class,
                () -> ClipConfig.fromJson(ClipConfig.test().toJson().replace("\"heads\" : 4", "\"heads\" : 3")));
        assertTrue(json.getMessage().contains("heads") && json.getMessage().contains("3"), json.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new VisionConfig(16, 4, 32, 2, 4, 4.0, Activation.GELU, 1.0));
        assertThrows(IllegalArgumentException.class,
                () -> new TextConfig(8, 64, 32, 2, 4, 4.0, Activation.GELU, true, TextPool.ARGMAX, 64));
    }

    @Test
    void unknownPresetListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClipConfig.preset("ViT-H-14"));
        assertTrue(e.getMessage().contains("ViT-H-14") && e.getMessage().contains("ViT-B-32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClipConfig.resolve("tiny", java.nio.file.Path.of("x.json")));
        assertThrows(IllegalArgumentException.class, () -> ClipConfig.resolve(null, null));
    }
}
