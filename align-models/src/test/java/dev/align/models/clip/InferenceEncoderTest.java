package dev.align.models.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.align.models.config.Activation;
import dev.align.models.config.ClipConfig;
import dev.align.models.config.TextConfig;
import dev.align.models.config.TextPool;
import dev.align.models.config.VisionConfig;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The serving path equals the training path's forward: same embeddings within float32 rounding
 * (1e-5 on unit vectors; 1e-12 in float64, where reassociation barely shows), for both towers,
 * causal and bidirectional text, GELU and QuickGELU, 0 to 3 layers, batch 1, a prime and more.
 */
class InferenceEncoderTest {

    private static final double F32 = 1e-5;
    private static final double F64 = 1e-12;

    /** A micro model: {@code layers} blocks per tower, heads 4 (vision) and 2 (text). */
    private static ClipConfig config(int layers, boolean causal, Activation act) {
        return new ClipConfig(ClipConfig.SCHEMA_VERSION, 24, ClipConfig.CLIP_LOGIT_SCALE, null,
                new VisionConfig(16, 4, 32, layers, 4, 4.0, act, 0.0),
                new TextConfig(10, 50, 16, layers, 2, 4.0, act, causal,
                        causal ? TextPool.ARGMAX : TextPool.FIRST, 3));
    }

    @ParameterizedTest
    @CsvSource({"2, true, GELU, FLOAT32, 1", "2, true, GELU, FLOAT32, 7", "3, false, GELU, FLOAT32, 5",
            "1, true, QUICK_GELU, FLOAT32, 3", "0, true, GELU, FLOAT32, 2", "2, true, GELU, FLOAT64, 5",
            "2, false, QUICK_GELU, FLOAT64, 4"})
    void equalsTheTrainingForward(int layers, boolean causal, Activation act, DataType type, int b) {
        ClipConfig c = config(layers, causal, act);
        double tol = type == DataType.FLOAT64 ? F64 : F32;
        try (NDManager manager = NDManager.newBaseManager()) {
            JniUtils.setGradMode(false);
            ClipModel model = ClipModel.create(c, manager, type, 11 + layers);
            ParameterStore ps = new ParameterStore(manager, false);
            try (InferenceEncoder fast = new InferenceEncoder(model)) {
                NDArray pixels = manager.randomNormal(new Shape(b, 3, 16, 16)).toType(type, false);
                assertClose(model.encodeImage(ps, pixels, false), fast.encodeImages(pixels), tol);
                long[] ids = ids(c.text(), b, 5);
                NDArray reference = model.encodeText(ps, manager.create(ids, new Shape(b, 10)), false);
                assertClose(reference, fast.encodeTexts(manager, ids, b, 10), tol);
            }
        }
    }

    @Test
    void causalRowsTrimmedToTheLastEndOfTextGiveThePaddedEmbeddings() {
        ClipConfig c = config(2, true, Activation.GELU);
        try (NDManager manager = NDManager.newBaseManager()) {
            JniUtils.setGradMode(false);
            ClipModel model = ClipModel.create(c, manager, DataType.FLOAT32, 3);
            ParameterStore ps = new ParameterStore(manager, false);
            try (InferenceEncoder fast = new InferenceEncoder(model)) {
                int b = 6;
                long[] ids = ids(c.text(), b, 9);
                int need = fast.tokensNeeded(ids, b, 10);
                int longest = 0;
                for (int r = 0; r < b; r++) {
                    for (int j = 0; j < 10; j++) {
                        if (ids[r * 10 + j] == 49) {
                            longest = Math.max(longest, j + 1);
                        }
                    }
                }
                assertEquals(longest, need, "one past the last end-of-text token");
                assertTrue(need < 10, "the drawn captions leave padding to trim");
                long[] trimmed = new long[b * need];
                for (int r = 0; r < b; r++) {
                    System.arraycopy(ids, r * 10, trimmed, r * need, need);
                }
                NDArray padded = model.encodeText(ps, manager.create(ids, new Shape(b, 10)), false);
                assertClose(padded, fast.encodeTexts(manager, trimmed, b, need), F32);
            }
        }
    }

    @Test
    void bidirectionalTowersNeedEveryColumn() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(config(1, false, Activation.GELU), manager,
                    DataType.FLOAT32, 3);
            try (InferenceEncoder fast = new InferenceEncoder(model)) {
                assertEquals(10, fast.tokensNeeded(ids(model.config().text(), 2, 1), 2, 10));
            }
        }
    }

    @Test
    void rejectsBadInputsNamingThem() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(config(1, true, Activation.GELU), manager,
                    DataType.FLOAT32, 3);
            try (InferenceEncoder fast = new InferenceEncoder(model)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> fast.encodeTexts(manager, new long[] {1, 50}, 1, 2));
                assertTrue(e.getMessage().contains("must be in [0, 50), got 50 at row 0, position 1"),
                        e.getMessage());
                e = assertThrows(IllegalArgumentException.class,
                        () -> fast.encodeTexts(manager, new long[11], 1, 11));
                assertTrue(e.getMessage().contains("1 <= T <= 10"), e.getMessage());
                e = assertThrows(IllegalArgumentException.class,
                        () -> fast.encodeImages(manager.zeros(new Shape(1, 3, 8, 8))));
                assertTrue(e.getMessage().contains("[B, 3, 16, 16]"), e.getMessage());
            }
        }
    }

    @Test
    void leavesTheCallersGradModeAsItWas() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(config(1, true, Activation.GELU), manager,
                    DataType.FLOAT32, 3);
            try (InferenceEncoder fast = new InferenceEncoder(model)) {
                JniUtils.setGradMode(true);
                NDArray e = fast.encodeImages(manager.zeros(new Shape(2, 3, 16, 16)));
                assertTrue(JniUtils.isGradMode());
                assertTrue(!e.hasGradient(), "no graph was built");
                JniUtils.setGradMode(false);
            }
        }
    }

    @Test
    void openingAndClosingEncodersLeavesTheModelsArraysAsTheyWere() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(config(2, true, Activation.GELU), manager,
                    DataType.FLOAT32, 5);
            int before = manager.getManagedArrays().size();
            for (int i = 0; i < 5; i++) {               // one encoder per evaluation in training
                try (InferenceEncoder fast = new InferenceEncoder(model);
                        NDManager call = manager.newSubManager()) {
                    fast.encodeImages(call.zeros(new Shape(1, 3, 16, 16)));
                }
            }
            assertEquals(before, manager.getManagedArrays().size(),
                    "arrays left in the model's manager");
        }
    }

    /**
     * {@code b} CLIP-like rows of width {@code T = contextLength}: start 1, body ids, end of text
     * (the largest id, {@code V - 1}) at a random position, then the pad id.
     */
    static long[] ids(TextConfig t, int b, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int ctx = t.contextLength();
        long[] ids = new long[b * ctx];
        java.util.Arrays.fill(ids, t.padId());
        for (int r = 0; r < b; r++) {
            int len = rnd.nextInt(2, ctx - 1);
            ids[r * ctx] = 1;
            for (int j = 1; j < len - 1; j++) {
                ids[r * ctx + j] = rnd.nextInt(4, t.vocabSize() - 1);
            }
            ids[r * ctx + len - 1] = t.vocabSize() - 1;
        }
        return ids;
    }

    private static void assertClose(NDArray expected, NDArray actual, double tol) {
        assertEquals(expected.getShape(), actual.getShape());
        double[] e = expected.toType(DataType.FLOAT64, false).toDoubleArray();
        double[] a = actual.toType(DataType.FLOAT64, false).toDoubleArray();
        double max = 0;
        for (int i = 0; i < e.length; i++) {
            max = Math.max(max, Math.abs(e[i] - a[i]));
        }
        assertTrue(max <= tol, "max |difference| " + max + " > " + tol);
    }
}
