package dev.align.models.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.align.models.config.ClipConfig;
import dev.align.models.config.TextPool;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClipModelTest {

    @ParameterizedTest
    @CsvSource({"ViT-B-32, 151277313", "ViT-B-16, 149620737", "ViT-L-14, 427616513",
            "tiny, 1766401", "small, 11731969"})
    void parameterCountEqualsOpenClips(String preset, long expected) {
        assertEquals(expected, new ClipModel(ClipConfig.preset(preset)).parameterCount());
    }

    @Test
    void keysFollowOpenClipStateDict() {
        Map<String, Parameter> p = new ClipModel(ClipConfig.preset("ViT-B-32")).openClipParameters();
        assertEquals(List.of(768L, 3L, 32L, 32L), dims(p.get("visual.conv1.weight")));
        assertEquals(List.of(768L), dims(p.get("visual.class_embedding")));
        assertEquals(List.of(50L, 768L), dims(p.get("visual.positional_embedding")));
        assertEquals(List.of(768L, 512L), dims(p.get("visual.proj")));
        assertEquals(List.of(2304L, 768L),
                dims(p.get("visual.transformer.resblocks.11.attn.in_proj_weight")));
        assertEquals(List.of(3072L, 768L), dims(p.get("visual.transformer.resblocks.0.mlp.c_fc.weight")));
        assertEquals(List.of(49408L, 512L), dims(p.get("token_embedding.weight")));
        assertEquals(List.of(77L, 512L), dims(p.get("positional_embedding")));
        assertEquals(List.of(512L, 512L), dims(p.get("text_projection")));
        assertEquals(List.of(512L), dims(p.get("ln_final.weight")));
        assertEquals(List.of(), dims(p.get("logit_scale")));
        assertEquals(4 + 2 + 12 * 12 + 2 + 2 + 12 * 12 + 2 + 1 + 1, p.size());
    }

    private static List<Long> dims(Parameter p) {
        return java.util.Arrays.stream(p.getShape().getShape()).boxed().toList();
    }

    @Test
    void forwardGivesUnitEmbeddingsOfTheRightShape() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(ClipConfig.test(), manager, DataType.FLOAT32, 1);
            NDArray pixels = manager.randomNormal(new Shape(3, 3, 16, 16));
            NDArray ids = manager.create(new long[][] {{1, 5, 63, 0, 0}, {1, 2, 3, 4, 63}, {1, 63, 0, 0, 0}});
            ClipOutput out = model.forward(new ParameterStore(manager, false), pixels, ids, false);
            assertEquals(new Shape(3, 24), out.imageEmbeds().getShape());
            assertEquals(new Shape(3, 24), out.textEmbeds().getShape());
            float[] norms = out.imageEmbeds().norm(new int[] {1}).toFloatArray();
            for (float n : norms) {
                assertEquals(1f, n, 1e-5f);
            }
            assertEquals(Math.log(1 / 0.07), out.logitScale().getFloat(), 1e-6);
            NDList asBlock = model.forward(new ParameterStore(manager, false), new NDList(pixels, ids),
                    false);
            assertEquals(3, asBlock.size());
            assertArrayEquals(out.textEmbeds().toFloatArray(), asBlock.get(1).toFloatArray());
        }
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel a = ClipModel.create(ClipConfig.test(), manager, DataType.FLOAT32, 7);
            ClipModel b = ClipModel.create(ClipConfig.test(), manager, DataType.FLOAT32, 7);
            ClipModel c = ClipModel.create(ClipConfig.test(), manager, DataType.FLOAT32, 8);
            for (String key : a.openClipParameters().keySet()) {
                float[] va = a.openClipParameters().get(key).getArray().toFloatArray();
                assertArrayEquals(va, b.openClipParameters().get(key).getArray().toFloatArray(), key);
                if (va.length > 1 && !key.contains("ln") && !key.endsWith("bias")) {
                    assertNotEquals(java.util.Arrays.toString(va),
                            java.util.Arrays.toString(c.openClipParameters().get(key).getArray()
                                    .toFloatArray()), key);
                }
            }
        }
    }

    @Test
    void causalTextIgnoresTokensAfterTheEndToken() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(ClipConfig.test(), manager, DataType.FLOAT32, 3);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray a = model.encodeText(ps, manager.create(new long[][] {{1, 7, 63, 0, 0}}), false);
            NDArray b = model.encodeText(ps, manager.create(new long[][] {{1, 7, 63, 9, 4}}), false);
            assertArrayEquals(a.toFloatArray(), b.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void bidirectionalTextIgnoresPaddingAndSeesLaterTokens() {
        ClipConfig cfg = ClipConfig.test().withText(new dev.align.models.config.TextConfig(8, 64, 32,
                2, 4, 4.0, dev.align.models.config.Activation.GELU, false, TextPool.FIRST, 0));
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(cfg, manager, DataType.FLOAT32, 3);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray a = model.encodeText(ps, manager.create(new long[][] {{1, 7, 9, 0}}), false);
            NDArray b = model.encodeText(ps, manager.create(new long[][] {{1, 7, 9, 0, 0, 0}}), false);
            NDArray c = model.encodeText(ps, manager.create(new long[][] {{1, 7, 8, 0}}), false);
            assertArrayEquals(a.toFloatArray(), b.toFloatArray(), 1e-5f);
            assertTrue(a.sub(c).abs().max().getFloat() > 1e-4f, "a later token changes the first");
        }
    }

    @Test
    void patchDropoutKeepsTheRightNumberOfTokensOnlyInTraining() {
        ClipConfig cfg = ClipConfig.test().withVision(ClipConfig.test().vision().withPatchDropout(0.5));
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(cfg, manager, DataType.FLOAT32, 3);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray pixels = manager.randomNormal(new Shape(2, 3, 16, 16));
            NDArray eval1 = model.encodeImage(ps, pixels, false);
            NDArray eval2 = model.encodeImage(ps, pixels, false);
            assertArrayEquals(eval1.toFloatArray(), eval2.toFloatArray());
            assertEquals(8, model.visual().patchDropout().kept(16));
            NDArray train1 = model.encodeImage(ps, pixels, true);
            NDArray train2 = model.encodeImage(ps, pixels, true);
            assertEquals(new Shape(2, 24), train1.getShape());
            assertTrue(train1.sub(train2).abs().max().getFloat() > 1e-6f, "fresh patches each call");
            model.visual().patchDropout().setState(0, 0);
            NDArray again = model.encodeImage(ps, pixels, true);
            model.visual().patchDropout().setState(0, 0);
            assertArrayEquals(again.toFloatArray(), model.encodeImage(ps, pixels, true).toFloatArray());
        }
    }

    @Test
    void rejectsBadInputsNamingExpectedAndActualShapes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(ClipConfig.test(), manager, DataType.FLOAT32, 1);
            ParameterStore ps = new ParameterStore(manager, false);
            IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                    () -> model.encodeImage(ps, manager.zeros(new Shape(2, 3, 15, 16)), false));
            assertTrue(size.getMessage().contains("[B, 3, 16, 16]") && size.getMessage().contains("(2, 3, 15, 16)"),
                    size.getMessage());
            IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                    () -> model.encodeImage(ps, manager.zeros(new Shape(2, 1, 16, 16)), false));
            assertTrue(channels.getMessage().contains("(2, 1, 16, 16)"), channels.getMessage());
            IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                    () -> model.encodeImage(ps, manager.zeros(new Shape(2, 3, 16, 16), DataType.FLOAT64), false));
            assertTrue(type.getMessage().contains("float64"), type.getMessage());
            IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                    () -> model.encodeText(ps, manager.create(new long[][] {{1, 64}}), false));
            assertTrue(range.getMessage().contains("[0, 64)") && range.getMessage().contains("64 at row 0, position 1"),
                    range.getMessage());
            IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                    () -> model.encodeText(ps, manager.create(new long[][] {{1, -1}}), false));
            assertTrue(negative.getMessage().contains("-1"), negative.getMessage());
            IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                    () -> model.encodeText(ps, manager.zeros(new Shape(1, 9), DataType.INT64), false));
            assertTrue(tooLong.getMessage().contains("T <= 8") && tooLong.getMessage().contains("(1, 9)"),
                    tooLong.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> model.encodeText(ps, manager.zeros(new Shape(1, 4), DataType.FLOAT32), false));
        }
    }

    @Test
    void clampsLogitScaleAndLocksTowers() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(ClipConfig.test(), manager, DataType.FLOAT32, 1);
            model.logitScale().getArray().set(new float[] {9f});
            model.clampLogitScale(Math.log(100));
            assertEquals((float) Math.log(100), model.logitScale().getArray().getFloat(), 1e-6);
            model.lockImageTower(true);
            assertTrue(model.openClipParameters().entrySet().stream()
                    .allMatch(e -> e.getKey().startsWith("visual.") != e.getValue().requiresGradient()));
        }
    }
}
