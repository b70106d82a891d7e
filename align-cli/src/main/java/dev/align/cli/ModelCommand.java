package dev.align.cli;

import static dev.align.core.Checks.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.align.core.io.DType;
import dev.align.core.io.SafeTensors;
import dev.align.core.io.TensorData;
import dev.align.core.json.Json;
import dev.align.models.clip.ClipModel;
import dev.align.models.config.ClipConfig;
import dev.align.models.io.OpenClipWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./align model}: inspect, create and run dual encoders. */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Inspect, initialise and run dual-encoder models.",
        subcommands = {ModelCommand.Info.class, ModelCommand.Init.class, ModelCommand.Embed.class})
final class ModelCommand {

    /** What {@code model info} prints. */
    record ModelInfo(ClipConfig config, long parameterCount, List<ParameterInfo> parameters) {}

    /** One parameter: its OpenCLIP key and shape. */
    record ParameterInfo(String key, long[] shape) {}

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Print the resolved config, the parameter count and every parameter key "
                    + "with its shape, as JSON.")
    static final class Info implements Callable<Integer> {
        @Mixin
        ModelSource source;

        @Override
        public Integer call() throws IOException {
            ClipModel model = new ClipModel(source.resolve());     // shapes need no weights
            List<ParameterInfo> params = model.openClipParameters().entrySet().stream()
                    .map(e -> new ParameterInfo(e.getKey(), e.getValue().getShape().getShape()))
                    .toList();
            System.out.println(Json.write(new ModelInfo(model.config(), model.parameterCount(), params)));
            return 0;
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Initialise a model from a seed and save it as safetensors with OpenCLIP "
                    + "key names.")
    static final class Init implements Callable<Integer> {
        @Mixin
        ModelSource source;

        @Option(names = "--seed", required = true, description = "Seed of the initialisation.")
        long seed;

        @Option(names = "--out", required = true, paramLabel = "FILE.safetensors",
                description = "Where to write the weights (written atomically).")
        Path out;

        @Override
        public Integer call() throws IOException {
            try (NDManager manager = NDManager.newBaseManager()) {
                ClipModel model = ClipModel.create(source.resolve(), manager, DataType.FLOAT32, seed);
                OpenClipWeights.save(model, out);
                System.err.printf("wrote %,d parameters to %s%n", model.parameterCount(), out);
            }
            return 0;
        }
    }

    @Command(name = "embed", mixinStandardHelpOptions = true,
            description = "Embed images and texts. IN holds pixel_values [B,3,H,W] float32 (already "
                    + "normalised) and input_ids [B,T] int64; OUT gets image_embeds and text_embeds "
                    + "[B,E] (L2-normalised, float32), logit_scale and, if the model has one, "
                    + "logit_bias.")
    static final class Embed implements Callable<Integer> {
        @Mixin
        ModelSource source;

        @Option(names = "--weights", paramLabel = "FILE.safetensors",
                description = "Weights with OpenCLIP key names (not with --model, whose folder has them).")
        Path weights;

        @Option(names = "--inputs", required = true, paramLabel = "IN.safetensors")
        Path inputs;

        @Option(names = "--out", required = true, paramLabel = "OUT.safetensors")
        Path out;

        @Option(names = "--batch-size", defaultValue = "256",
                description = "Rows embedded at once (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Override
        public Integer call() throws IOException {
            checkArgument(batchSize >= 1, "--batch-size must be >= 1, got %s", batchSize);
            checkArgument(source.modelDir() != null ? weights == null : weights != null,
                    "give --weights with --preset or --config, and not with --model");
            Map<String, TensorData> in = SafeTensors.read(inputs);
            TensorData pixels = require(in, "pixel_values", DType.F32, 4);
            TensorData ids = require(in, "input_ids", DType.I64, 2);
            try (NDManager manager = NDManager.newBaseManager()) {
                ClipModel model = source.load(manager, weights);
                ParameterStore ps = new ParameterStore(manager, false);
                float[] image = embedRows(manager, pixels, (scope, rows) ->
                        model.encodeImage(ps, scope.create(rows.floats, rows.shape), false));
                float[] text = embedRows(manager, ids, (scope, rows) ->
                        model.encodeText(ps, scope.create(rows.longs, rows.shape), false));
                long e = model.config().embedDim();
                Map<String, TensorData> result = new LinkedHashMap<>();
                result.put("image_embeds", TensorData.ofFloats(new long[] {pixels.shape()[0], e}, image));
                result.put("text_embeds", TensorData.ofFloats(new long[] {ids.shape()[0], e}, text));
                result.put("logit_scale", TensorData.ofFloats(new long[0],
                        model.logitScale().getArray().toFloatArray()));
                if (model.logitBias() != null) {
                    result.put("logit_bias", TensorData.ofFloats(new long[0],
                            model.logitBias().getArray().toFloatArray()));
                }
                SafeTensors.write(out, result, Map.of());
                System.err.printf("embedded %d images and %d texts into %s%n", pixels.shape()[0],
                        ids.shape()[0], out);
            }
            return 0;
        }

        private static TensorData require(Map<String, TensorData> in, String key, DType type, int rank) {
            TensorData t = in.get(key);
            checkArgument(t != null, "inputs must contain '%s', found %s", key, in.keySet());
            checkArgument(t.dtype() == type && t.shape().length == rank,
                    "'%s' must be %s with %s dimensions, got %s %s", key, type, rank, t.dtype(),
                    Arrays.toString(t.shape()));
            return t;
        }

        /** A slice of rows in Java arrays, as the model's input. */
        private record Rows(float[] floats, long[] longs, Shape shape) {}

        private interface Encoder {
            NDArray encode(NDManager scope, Rows rows);
        }

        private float[] embedRows(NDManager manager, TensorData data, Encoder encoder) {
            long[] shape = data.shape();
            int n = Math.toIntExact(shape[0]);
            int rowSize = Math.toIntExact(Arrays.stream(shape).skip(1).reduce(1, Math::multiplyExact));
            float[] floats = data.dtype() == DType.F32 ? data.toFloatArray() : null;
            long[] longs = data.dtype() == DType.I64 ? data.toLongArray() : null;
            float[] out = null;
            int e = 0;
            for (int start = 0; start < n; start += batchSize) {
                int rows = Math.min(batchSize, n - start);
                long[] batchShape = shape.clone();
                batchShape[0] = rows;
                Rows slice = new Rows(
                        floats == null ? null : Arrays.copyOfRange(floats, start * rowSize, (start + rows) * rowSize),
                        longs == null ? null : Arrays.copyOfRange(longs, start * rowSize, (start + rows) * rowSize),
                        new Shape(batchShape));
                try (NDManager scope = manager.newSubManager()) {
                    float[] embeds = encoder.encode(scope, slice).toFloatArray();
                    if (out == null) {
                        e = embeds.length / rows;
                        out = new float[n * e];
                    }
                    System.arraycopy(embeds, 0, out, start * e, embeds.length);
                }
            }
            return out == null ? new float[0] : out;
        }
    }
}
