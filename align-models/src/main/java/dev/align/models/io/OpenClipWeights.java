package dev.align.models.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import dev.align.core.io.DType;
import dev.align.core.io.SafeTensors;
import dev.align.core.io.SafeTensorsFile;
import dev.align.core.io.TensorData;
import dev.align.models.clip.ClipModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves and loads a {@link ClipModel}'s weights as safetensors under OpenCLIP's state-dict keys
 * and shapes ({@code visual.conv1.weight}, {@code token_embedding.weight}, {@code logit_scale},
 * ...), so a file written here loads into OpenCLIP's {@code CLIP} and one exported from OpenCLIP
 * ({@code safetensors.torch.save_file(model.state_dict(), f)}) loads here. Float16, bfloat16 and
 * float64 files are converted to the model's precision on load.
 */
public final class OpenClipWeights {

    /** Metadata key under which the model's config JSON is stored. */
    public static final String CONFIG_METADATA_KEY = "align.config";

    private OpenClipWeights() {}

    /** The model's weights by OpenCLIP key, in the model's precision (F32 or F64). */
    public static Map<String, TensorData> stateDict(ClipModel model) {
        Map<String, TensorData> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.openClipParameters().entrySet()) {
            NDArray array = e.getValue().getArray();
            long[] shape = array.getShape().getShape();
            out.put(e.getKey(), array.getDataType() == DataType.FLOAT64
                    ? TensorData.ofDoubles(shape, array.toDoubleArray())
                    : TensorData.ofFloats(shape, toFloats(array)));
        }
        return out;
    }

    /**
     * Writes the weights atomically (a crash never leaves a half-written file), with the model's
     * config JSON and {@code format=pt} as metadata.
     */
    public static void save(ClipModel model, Path file) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put(CONFIG_METADATA_KEY, model.config().toJson());
        SafeTensors.write(file, stateDict(model), metadata);
    }

    /**
     * Loads weights from a safetensors file into an initialised model.
     *
     * @throws IncompatibleWeightsException listing missing, unexpected and mis-shaped keys
     * @throws IOException if the file cannot be read or is not valid safetensors
     */
    public static void load(ClipModel model, Path file) throws IOException {
        SafeTensorsFile contents = SafeTensors.readFile(file);
        load(model, contents.tensors(), file.toString());
    }

    /**
     * Loads weights by OpenCLIP key into an initialised model; nothing is changed unless every
     * key matches.
     *
     * @param source where the tensors came from, for messages
     * @throws IncompatibleWeightsException listing missing, unexpected and mis-shaped keys
     */
    public static void load(ClipModel model, Map<String, TensorData> tensors, String source)
            throws IncompatibleWeightsException {
        Map<String, Parameter> params = model.openClipParameters();
        List<String> missing = new ArrayList<>();
        List<String> misShaped = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            TensorData t = tensors.get(e.getKey());
            long[] expected = e.getValue().getShape().getShape();
            if (t == null) {
                missing.add(e.getKey());
            } else if (!Arrays.equals(t.shape(), expected)) {
                misShaped.add(String.format("%s (file %s, model %s)", e.getKey(),
                        Arrays.toString(t.shape()), Arrays.toString(expected)));
            } else if (!isFloat(t.dtype())) {
                misShaped.add(String.format("%s (dtype %s, expected a float type)", e.getKey(),
                        t.dtype()));
            }
        }
        for (String key : tensors.keySet()) {
            if (!params.containsKey(key)) {
                unexpected.add(key);
            }
        }
        if (!missing.isEmpty() || !misShaped.isEmpty() || !unexpected.isEmpty()) {
            throw new IncompatibleWeightsException(String.format(
                    "weights in %s do not fit the model (%s): missing keys %s; unexpected keys %s; "
                            + "mis-shaped keys %s. Check that --preset/--config matches the "
                            + "checkpoint.", source, model.config(), missing, unexpected, misShaped));
        }
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            copyInto(e.getValue(), tensors.get(e.getKey()));
        }
    }

    private static void copyInto(Parameter parameter, TensorData t) {
        NDArray array = parameter.getArray();
        array.setRequiresGradient(false);                 // in-place writes to grad leaves fail
        if (array.getDataType() == DataType.FLOAT64) {
            array.set(t.toDoubleArray());
        } else if (array.getDataType() == DataType.FLOAT32) {
            array.set(floats(t));
        } else {
            try (NDArray f = array.getManager().create(floats(t), array.getShape());
                    NDArray cast = f.toType(array.getDataType(), false)) {
                array.set(cast.toByteBuffer());
            }
        }
        if (parameter.requiresGradient()) {
            array.setRequiresGradient(true);
        }
    }

    /** Any float tensor as float32 (float64 files into float32 models round to nearest). */
    private static float[] floats(TensorData t) {
        if (t.dtype() != DType.F64) {
            return t.toFloatArray();
        }
        double[] d = t.toDoubleArray();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static float[] toFloats(NDArray array) {
        if (array.getDataType() == DataType.FLOAT32) {
            return array.toFloatArray();
        }
        try (NDArray f = array.toType(DataType.FLOAT32, false)) {
            return f.toFloatArray();
        }
    }

    private static boolean isFloat(DType dtype) {
        return dtype == DType.F32 || dtype == DType.F64 || dtype == DType.F16 || dtype == DType.BF16;
    }
}
