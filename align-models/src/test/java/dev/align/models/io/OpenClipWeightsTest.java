package dev.align.models.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.align.core.io.SafeTensors;
import dev.align.core.io.TensorData;
import dev.align.models.clip.ClipModel;
import dev.align.models.config.ClipConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenClipWeightsTest {

    @TempDir
    Path dir;

    @Test
    void roundTripIsBitExact() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            ClipModel a = ClipModel.create(ClipConfig.test().withSigLipInit(), m, DataType.FLOAT32, 1);
            Path file = dir.resolve("a.safetensors");
            OpenClipWeights.save(a, file);
            ClipModel b = ClipModel.create(ClipConfig.test().withSigLipInit(), m, DataType.FLOAT32, 2);
            OpenClipWeights.load(b, file);
            for (String key : a.openClipParameters().keySet()) {
                assertArrayEquals(a.openClipParameters().get(key).getArray().toFloatArray(),
                        b.openClipParameters().get(key).getArray().toFloatArray(), key);
            }
            Path again = dir.resolve("b.safetensors");
            OpenClipWeights.save(b, again);
            assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again), "same bytes");
            assertTrue(b.openClipParameters().get("visual.proj").getArray().hasGradient(),
                    "loaded parameters still train");
            Map<String, String> meta = SafeTensors.readFile(file).metadata();
            assertEquals("pt", meta.get("format"));
            assertEquals(ClipConfig.test().withSigLipInit(), ClipConfig.fromJson(meta.get(OpenClipWeights.CONFIG_METADATA_KEY)));
        }
    }

    @Test
    void float32WeightsLoadIntoAFloat64Model() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            ClipModel a = ClipModel.create(ClipConfig.test(), m, DataType.FLOAT32, 1);
            ClipModel b = ClipModel.create(ClipConfig.test(), m, DataType.FLOAT64, 2);
            OpenClipWeights.load(b, OpenClipWeights.stateDict(a), "memory");
            float[] fa = a.openClipParameters().get("text_projection").getArray().toFloatArray();
            double[] db = b.openClipParameters().get("text_projection").getArray().toDoubleArray();
            for (int i = 0; i < fa.length; i++) {
                assertEquals(fa[i], db[i], 0);
            }
        }
    }

    @Test
    void mismatchListsMissingUnexpectedAndMisShapedKeys() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(ClipConfig.test(), m, DataType.FLOAT32, 1);
            Map<String, TensorData> weights = new LinkedHashMap<>(OpenClipWeights.stateDict(model));
            weights.remove("visual.proj");
            weights.put("visual.attnpool.weight", TensorData.ofFloats(new long[] {1}, new float[] {1}));
            weights.put("text_projection", TensorData.ofFloats(new long[] {2, 2}, new float[4]));
            float before = model.openClipParameters().get("ln_final.weight").getArray().getFloat(0);
            weights.put("ln_final.weight", TensorData.ofFloats(new long[] {32}, new float[32]));
            IncompatibleWeightsException e = assertThrows(IncompatibleWeightsException.class,
                    () -> OpenClipWeights.load(model, weights, "w.safetensors"));
            String msg = e.getMessage();
            assertTrue(msg.contains("missing keys [visual.proj]"), msg);
            assertTrue(msg.contains("unexpected keys [visual.attnpool.weight]"), msg);
            assertTrue(msg.contains("text_projection (file [2, 2], model [32, 24])"), msg);
            assertTrue(msg.contains("w.safetensors"), msg);
            assertEquals(before, model.openClipParameters().get("ln_final.weight").getArray().getFloat(0),
                    "nothing is changed unless everything fits");
        }
    }
}
