package dev.align.train.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.align.core.Checks;
import dev.align.core.io.DType;
import dev.align.core.io.SafeTensors;
import dev.align.core.io.SafeTensorsFile;
import dev.align.core.io.TensorData;
import dev.align.models.io.IncompatibleWeightsException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * AdamW with the exact update of PyTorch's {@code torch.optim.AdamW} ({@code foreach=False},
 * no amsgrad), OpenCLIP's two parameter groups, and state that can be checkpointed by
 * parameter name (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", 2019).
 *
 * <p>For step {@code t} (1-based) and each trainable parameter {@code p} with gradient {@code g}:
 * <pre>
 * p *= 1 - lr * weightDecay                       (decayed group only)
 * m  = beta1 * m + (1 - beta1) * g
 * v  = beta2 * v + (1 - beta2) * g * g
 * p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * DJL's own AdamW places {@code eps} differently and cannot save its state (see DJL.md).
 *
 * <p><b>Groups.</b> Like nanoGPT and OpenCLIP, weight decay applies only to parameters of two or
 * more dimensions; biases, LayerNorm gains, {@code *positional_embedding} and
 * {@code logit_scale}/{@code logit_bias} are not decayed ({@link #decays}).
 *
 * <p><b>Gradients.</b> {@link #step} reads each gradient once and then zeroes it, because DJL
 * accumulates gradients across backward passes until someone zeroes them. Parameters that are
 * frozen ({@code requiresGradient() == false}) or have never received a gradient are skipped.
 * DJL zeroes rather than frees a gradient, so a parameter that once had one and gets none in a
 * later backward pass is updated with {@code g = 0} (PyTorch's {@code zero_grad(set_to_none=False)}
 * behaviour); {@code t} is one count for all parameters, as in OpenCLIP where every trainable
 * parameter gets a gradient every step.
 *
 * <p><b>State.</b> The moments {@code m} and {@code v} (the parameter's shape and dtype) live in
 * an {@link NDManager} owned by this object and are created at a parameter's first update;
 * {@link #close()} frees them. They are keyed by OpenCLIP parameter name, not by DJL's
 * per-process parameter id, so {@link #saveState}/{@link #loadState} survive a restart. Weights
 * are updated in place with grad mode off, so they stay autograd leaves.
 *
 * <pre>{@code
 * try (AdamW opt = new AdamW(model.openClipParameters(), AdamWConfig.openClip())) {
 *     System.out.println(opt.describeGroups());
 *     for (long step = 0; step < total; step++) {
 *         ... backward ...
 *         GradClip.clipGlobalNorm(model.openClipParameters().values(), 1.0);
 *         opt.step(schedule.lr(step));
 *     }
 * }
 * }</pre>
 */
public final class AdamW implements AutoCloseable {

    /** Value of the {@code format} metadata entry of files written by {@link #saveState}. */
    public static final String STATE_FORMAT = "align.adamw.v1";

    private final Map<String, Parameter> parameters;
    private final AdamWConfig config;
    private final List<String> decayed;
    private final List<String> undecayed;
    private final Set<String> decayedSet;
    private final NDManager manager;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private long step;
    private boolean closed;

    /**
     * An optimizer over {@code parameters}, which must be initialised.
     *
     * @param parameters trainable and frozen parameters by OpenCLIP name, e.g.
     *     {@code ClipModel.openClipParameters()}; frozen ones are skipped at each step
     * @param config betas, eps and weight decay
     */
    public AdamW(Map<String, Parameter> parameters, AdamWConfig config) {
        Objects.requireNonNull(parameters, "parameters");
        this.config = Objects.requireNonNull(config, "config");
        Checks.checkArgument(!parameters.isEmpty(), "AdamW needs at least one parameter");
        List<String> yes = new ArrayList<>();
        List<String> no = new ArrayList<>();
        Device device = null;
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            Parameter p = e.getValue();
            Checks.checkArgument(p.isInitialized(),
                    "parameter %s is not initialised; initialise the model before the optimizer",
                    e.getKey());
            Checks.checkArgument(!e.getKey().contains(","),
                    "parameter names must not contain ',', got %s", e.getKey());
            (decays(e.getKey(), p.getArray().getShape()) ? yes : no).add(e.getKey());
            if (device == null) {
                device = p.getArray().getDevice();
            }
        }
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.decayed = List.copyOf(yes);
        this.undecayed = List.copyOf(no);
        this.decayedSet = Set.copyOf(yes);
        this.manager = NDManager.newBaseManager(device);
        manager.setName("AdamW");
    }

    /**
     * The grouping rule: {@code true} (decay) for parameters of two or more dimensions, except
     * those whose name contains {@code positional_embedding} and {@code logit_scale} /
     * {@code logit_bias}.
     *
     * @param name OpenCLIP parameter name
     * @param shape the parameter's shape
     */
    public static boolean decays(String name, Shape shape) {
        return shape.dimension() >= 2
                && !name.contains("positional_embedding")
                && !name.equals("logit_scale") && !name.endsWith(".logit_scale")
                && !name.equals("logit_bias") && !name.endsWith(".logit_bias");
    }

    /** Names of the parameters that receive weight decay, in the order given. */
    public List<String> decayedNames() {
        return decayed;
    }

    /** Names of the parameters that receive no weight decay, in the order given. */
    public List<String> undecayedNames() {
        return undecayed;
    }

    /**
     * Both groups with their tensor and weight counts, e.g. {@code "decayed: 50 tensors,
     * 87,849,216 weights; not decayed: 101 tensors, 71,424 weights"}, for the training log.
     */
    public String describeGroups() {
        return String.format("decayed: %d tensors, %,d weights (weight decay %s); "
                        + "not decayed: %d tensors, %,d weights",
                decayed.size(), count(decayed), config.weightDecay(),
                undecayed.size(), count(undecayed));
    }

    private long count(List<String> names) {
        return names.stream().mapToLong(n -> parameters.get(n).getArray().size()).sum();
    }

    /** The hyperparameters. */
    public AdamWConfig config() {
        return config;
    }

    /** Number of {@link #step} calls so far, including those restored by {@link #loadState}. */
    public long stepCount() {
        return step;
    }

    /**
     * Applies one AdamW update to every trainable parameter that has a gradient, then zeroes
     * those gradients.
     *
     * @param lr learning rate of this step ({@code CosineSchedule.lr(step)}), finite and {@code >= 0}
     * @throws IllegalStateException after {@link #close()}
     */
    public void step(double lr) {
        Checks.checkState(!closed, "AdamW is closed");
        Checks.checkArgument(lr >= 0 && Double.isFinite(lr), "lr must be finite and >= 0, got %s", lr);
        step++;
        double beta1 = config.beta1();
        double beta2 = config.beta2();
        double stepSize = lr / (1 - Math.pow(beta1, step));
        double bias2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        try (Gradients.NoGrad ignored = Gradients.noGrad()) {
            for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
                Parameter p = e.getValue();
                if (!p.requiresGradient()) {
                    continue;
                }
                NDArray w = p.getArray();
                // One sub-manager per parameter: its temporaries die before the next one's exist.
                try (NDManager scope = manager.newSubManager(w.getDevice())) {
                    NDArray g = Gradients.gradientOrNull(w);
                    if (g == null) {
                        continue;
                    }
                    g.attach(scope); // the handle, and every g-first result below, die with scope
                    DataType dt = w.getDataType();
                    String name = e.getKey();
                    NDArray m = firstMoments.computeIfAbsent(name, k -> zerosLike(w));
                    NDArray v = secondMoments.computeIfAbsent(name, k -> zerosLike(w));
                    if (config.weightDecay() != 0 && lr != 0 && decayedSet.contains(name)) {
                        w.muli(Scalars.of(scope, 1 - lr * config.weightDecay(), dt));
                    }
                    m.muli(Scalars.of(scope, beta1, dt))
                            .addi(g.mul(Scalars.of(scope, 1 - beta1, dt)));
                    v.muli(Scalars.of(scope, beta2, dt))
                            .addi(g.mul(g).muli(Scalars.of(scope, 1 - beta2, dt)));
                    NDArray denom = v.sqrt(); // [shape of p]
                    denom.attach(scope);
                    denom.divi(Scalars.of(scope, bias2Sqrt, dt)).addi(Scalars.of(scope, config.eps(), dt));
                    NDArray update = m.div(denom);
                    update.attach(scope);
                    w.subi(update.muli(Scalars.of(scope, stepSize, dt)));
                    Gradients.zero(w);
                }
            }
        }
    }

    private NDArray zerosLike(NDArray w) {
        return manager.zeros(w.getShape(), w.getDataType(), w.getDevice());
    }

    /**
     * Writes the step count and both moments of every parameter updated so far to a safetensors
     * file ({@code m.<name>}, {@code v.<name>} in the parameter's dtype; metadata {@code format},
     * {@code step}, {@code beta1}, {@code beta2}, {@code eps}, {@code weight_decay} and the
     * comma-separated {@code parameters} this optimizer was built over). The file is replaced
     * atomically.
     *
     * @throws IOException if the file cannot be written
     * @throws IllegalStateException after {@link #close()}, or for moments that are neither
     *     FLOAT32 nor FLOAT64
     */
    public void saveState(Path file) throws IOException {
        Checks.checkState(!closed, "AdamW is closed");
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        for (String name : firstMoments.keySet()) {
            tensors.put("m." + name, toTensorData(name, firstMoments.get(name)));
            tensors.put("v." + name, toTensorData(name, secondMoments.get(name)));
        }
        SafeTensors.write(file, tensors, metadata());
    }

    private Map<String, String> metadata() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", STATE_FORMAT);
        meta.put("step", Long.toString(step));
        meta.put("beta1", Double.toString(config.beta1()));
        meta.put("beta2", Double.toString(config.beta2()));
        meta.put("eps", Double.toString(config.eps()));
        meta.put("weight_decay", Double.toString(config.weightDecay()));
        meta.put("parameters", String.join(",", parameters.keySet()));
        return meta;
    }

    private static TensorData toTensorData(String name, NDArray a) {
        long[] shape = a.getShape().getShape();
        if (a.getDataType() == DataType.FLOAT32) {
            return TensorData.ofFloats(shape, a.toFloatArray());
        }
        Checks.checkState(a.getDataType() == DataType.FLOAT64,
                "cannot save AdamW moments of %s in %s; train in FLOAT32 or FLOAT64", name, a.getDataType());
        return TensorData.ofDoubles(shape, a.toDoubleArray());
    }

    /**
     * Replaces this optimizer's step count and moments with those saved by {@link #saveState},
     * so that training continues exactly as without the interruption.
     *
     * @throws IncompatibleWeightsException if the file was saved over other parameters (missing
     *     or unexpected names are listed), with other shapes or dtypes, or with other
     *     hyperparameters; nothing is changed then
     * @throws IOException if the file cannot be read or is not a safetensors file
     * @throws IllegalStateException after {@link #close()}
     */
    public void loadState(Path file) throws IOException {
        Checks.checkState(!closed, "AdamW is closed");
        SafeTensorsFile saved = SafeTensors.readFile(file);
        Map<String, String> meta = saved.metadata();
        if (!STATE_FORMAT.equals(meta.get("format"))) {
            throw new IncompatibleWeightsException(String.format(
                    "%s is not an AdamW state file (format %s, expected %s)",
                    file, meta.get("format"), STATE_FORMAT));
        }
        List<String> problems = new ArrayList<>();
        Set<String> ours = parameters.keySet();
        Set<String> theirs = new LinkedHashSet<>(Arrays.asList(meta.getOrDefault("parameters", "").split(",")));
        Set<String> missing = new TreeSet<>(ours);
        missing.removeAll(theirs);
        Set<String> unexpected = new TreeSet<>(theirs);
        unexpected.removeAll(ours);
        if (!missing.isEmpty()) {
            problems.add("parameters of this model missing from the file: " + missing);
        }
        if (!unexpected.isEmpty()) {
            problems.add("parameters in the file that this model lacks: " + unexpected);
        }
        checkHyper(problems, "beta1", meta, config.beta1());
        checkHyper(problems, "beta2", meta, config.beta2());
        checkHyper(problems, "eps", meta, config.eps());
        checkHyper(problems, "weight_decay", meta, config.weightDecay());
        Set<String> stateNames = new LinkedHashSet<>();
        for (Map.Entry<String, TensorData> e : saved.tensors().entrySet()) {
            String key = e.getKey();
            String name = key.startsWith("m.") || key.startsWith("v.") ? key.substring(2) : null;
            Parameter p = name == null ? null : parameters.get(name);
            if (p == null) {
                problems.add("unexpected tensor " + key);
                continue;
            }
            stateNames.add(name);
            NDArray w = p.getArray();
            TensorData t = e.getValue();
            if (!Arrays.equals(t.shape(), w.getShape().getShape())) {
                problems.add(String.format("%s has shape %s, the parameter %s", key,
                        Arrays.toString(t.shape()), w.getShape()));
            }
            DType want = w.getDataType() == DataType.FLOAT64 ? DType.F64 : DType.F32;
            if (t.dtype() != want) {
                problems.add(String.format("%s is %s, the parameter %s", key, t.dtype(), w.getDataType()));
            }
        }
        for (String name : stateNames) {
            for (String prefix : new String[] {"m.", "v."}) {
                if (!saved.tensors().containsKey(prefix + name)) {
                    problems.add("missing tensor " + prefix + name);
                }
            }
        }
        long savedStep = -1;
        try {
            savedStep = Long.parseLong(meta.getOrDefault("step", ""));
        } catch (NumberFormatException ex) {
            problems.add("step metadata is not an integer: " + meta.get("step"));
        }
        if (!problems.isEmpty()) {
            throw new IncompatibleWeightsException(
                    "AdamW state " + file + " does not fit this optimizer:\n  " + String.join("\n  ", problems));
        }
        clearState();
        for (String name : parameters.keySet()) { // parameter order, as step() creates them
            if (stateNames.contains(name)) {
                NDArray w = parameters.get(name).getArray();
                firstMoments.put(name, toArray(saved.tensor("m." + name), w));
                secondMoments.put(name, toArray(saved.tensor("v." + name), w));
            }
        }
        step = savedStep;
    }

    private static void checkHyper(List<String> problems, String key, Map<String, String> meta, double ours) {
        String value = meta.get(key);
        if (value == null || !value.equals(Double.toString(ours))) {
            problems.add(String.format("%s was %s when saved, this optimizer has %s", key, value, ours));
        }
    }

    private NDArray toArray(TensorData t, NDArray like) {
        Shape shape = like.getShape();
        NDArray a = like.getDataType() == DataType.FLOAT64
                ? manager.create(t.toDoubleArray(), shape)
                : manager.create(t.toFloatArray(), shape);
        if (!a.getDevice().equals(like.getDevice())) {
            NDArray moved = a.toDevice(like.getDevice(), true);
            moved.attach(manager);
            a.close();
            return moved;
        }
        return a;
    }

    private void clearState() {
        firstMoments.values().forEach(NDArray::close);
        secondMoments.values().forEach(NDArray::close);
        firstMoments.clear();
        secondMoments.clear();
    }

    /** The manager that owns the moments (tests count its live arrays). */
    NDManager manager() {
        return manager;
    }

    /** Frees the moments; the optimizer cannot be used afterwards. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            clearState();
            manager.close();
        }
    }
}
