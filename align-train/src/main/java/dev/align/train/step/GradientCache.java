package dev.align.train.step;

import static dev.align.core.Checks.checkArgument;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.align.models.clip.ClipModel;
import dev.align.models.loss.LossGradients;
import dev.align.models.vision.PatchDropout;
import java.util.List;
import java.util.Map;

/**
 * Gradient caching (Gao et al. 2021, "GradCache"; OpenCLIP's {@code --accum-freq}): the exact
 * loss and parameter gradients of a contrastive loss over a global batch of {@code N} pairs, with
 * tower activations held for only one micro-batch at a time.
 *
 * <ol>
 *   <li>Pass 1, no graph: every micro-batch of {@code microBatchSize} pairs is embedded and only
 *       its embeddings are kept, {@code [N, E]} per tower in all.
 *   <li>The {@link EmbeddingLoss} runs on the whole global batch and returns {@code dL/dI},
 *       {@code dL/dT} {@code [N, E]} and the temperature gradients, which are added to the
 *       {@code .grad} of {@code logit_scale} (and {@code logit_bias}).
 *   <li>Pass 2: each micro-batch is embedded again with a graph and its slice of {@code dL/dI},
 *       {@code dL/dT} is back-propagated into the tower parameters. By the chain rule the sum
 *       over micro-batches is the full-batch gradient.
 * </ol>
 *
 * <p><b>Gradients accumulate</b> into the parameters' {@code .grad}, as DJL's collectors do; zero
 * them between steps (DJL's optimizers do on update). A tower whose parameters are all frozen
 * ({@link ClipModel#lockImageTower}, LiT) is not recomputed in pass 2.
 *
 * <p><b>Patch dropout</b> (FLIP): pass 2 drops the same patches as pass 1 by restoring the
 * {@link PatchDropout} call counter recorded before each micro-batch. After
 * {@link #forwardBackward} the counter is its value before the call plus the number of
 * micro-batches, as pass 1 alone leaves it, so a run that checkpoints {@code calls()} resumes
 * with the same draws. Patches are keyed by (seed, call, index within the micro-batch), so the
 * draws depend on the micro-batch size, not only on the global batch.
 *
 * <p><b>Memory</b>: every array made during a call lives in a sub-manager of the model's manager
 * and in {@link NDScope}s that are closed before the call returns; each micro-batch's graph is
 * freed before the next one is built. With a {@link MicroBatchFeed} that reads its source again
 * for pass 2, nothing but the {@code [N, E]} embeddings and their gradients grows with {@code N}.
 * The PyTorch engine is required (pass 1 switches grad mode off explicitly, since threads other
 * than the engine's run with grad mode on).
 *
 * <p><b>Several devices</b> (data parallel, {@code ../shared/DJL.md} section 6): micro-batch
 * {@code k} runs on device {@code k mod D} with that device's copy of the parameters
 * ({@link DeviceReplicas}); the cached embeddings are gathered on device 0, where the loss runs
 * over the whole global batch; each device then gets its rows of {@code dL/dI}, {@code dL/dT}
 * back, recomputes its micro-batches and accumulates into its copies, and the copies' gradients
 * are summed into device 0's parameters, which the optimizer updates. Devices are driven one
 * after another from the calling thread (GPU kernels still run asynchronously); the loss and
 * gradients equal the one-device result up to the order of floating-point sums.
 *
 * <pre>{@code
 * GradientCache cache = new GradientCache(model, EmbeddingLoss.autograd(new InfoNceLoss()), 64);
 * try (NDManager step = manager.newSubManager()) {
 *     double loss = cache.forwardBackward(ps, pixels, ids);   // pixels [N, 3, S, S], ids [N, T]
 *     optimizer.step(...);
 * }
 * }</pre>
 */
public final class GradientCache implements AutoCloseable {

    private final ClipModel model;
    private final EmbeddingLoss loss;
    private final int microBatchSize;
    private final DeviceReplicas replicas;

    /**
     * A gradient cache for {@code model} on the device of its parameters; it holds no arrays
     * between calls.
     *
     * @param model the dual encoder whose parameters receive the gradients
     * @param loss the contrastive loss over the global batch
     * @param microBatchSize pairs per tower forward, {@code >= 1}; the last micro-batch of a step
     *     may be smaller
     */
    public GradientCache(ClipModel model, EmbeddingLoss loss, int microBatchSize) {
        this(model, loss, microBatchSize, List.of(model.logitScale().getArray().getDevice()));
    }

    /**
     * A data-parallel gradient cache over {@code devices}.
     *
     * @param devices device 0 first, which must hold the model's parameters; the same device may
     *     appear more than once (each entry gets its own parameter copy)
     * @throws IllegalArgumentException if {@code devices} is empty or device 0 is not the
     *     parameters' device
     */
    public GradientCache(ClipModel model, EmbeddingLoss loss, int microBatchSize,
            List<Device> devices) {
        checkArgument(model != null, "model must not be null");
        checkArgument(loss != null, "loss must not be null");
        checkArgument(microBatchSize >= 1, "microBatchSize must be >= 1, got %s", microBatchSize);
        this.model = model;
        this.loss = loss;
        this.microBatchSize = microBatchSize;
        this.replicas = new DeviceReplicas(model, devices);
    }

    /** The number of pairs per tower forward. */
    public int microBatchSize() {
        return microBatchSize;
    }

    /** The devices micro-batches are spread over, device 0 first. */
    public List<Device> devices() {
        return replicas.devices();
    }

    /** The number of micro-batches a global batch of {@code n} pairs is split into. */
    public int microBatches(long n) {
        checkArgument(n >= 1, "batch size must be >= 1, got %s", n);
        return Math.toIntExact((n + microBatchSize - 1) / microBatchSize);
    }

    /**
     * {@link #forwardBackward(ParameterStore, MicroBatchFeed)} over a batch held in memory.
     *
     * @param pixels {@code [N, 3, S, S]} normalised pixels in the model's dtype
     * @param ids {@code [N, T]} token ids
     * @throws IllegalArgumentException if the batch shapes disagree
     */
    public double forwardBackward(ParameterStore ps, NDArray pixels, NDArray ids) {
        checkArgument(pixels instanceof PtNDArray,
                "gradient caching needs the PyTorch engine, got %s arrays", pixels.getClass());
        return forwardBackward(ps, MicroBatchFeed.of(pixels, ids));
    }

    /**
     * Computes the loss of the global batch and adds its gradient with respect to every trainable
     * parameter of the model to that parameter's {@code .grad}. The towers run in training mode.
     * Opens no DJL {@code GradientCollector} (it sets grad mode per thread instead), so runs on
     * several threads may call it at once, each with its own model.
     *
     * @param ps where device 0's parameter values come from ({@code new ParameterStore(manager,
     *     false)} or a trainer's)
     * @param feed the global batch; read once when it fits one micro-batch, else twice
     * @return the global-batch loss
     */
    public double forwardBackward(ParameterStore ps, MicroBatchFeed feed) {
        long n = feed.pairs();
        int m = microBatches(n);
        boolean trainImage = anyTrainable(true);
        boolean trainText = anyTrainable(false);
        NDManager home = model.logitScale().getArray().getManager();
        if (m == 1) {
            try (NDManager micro = home.newSubManager()) {
                NDList batch = feed.load(0, n, device(0), micro);
                return singlePass(ps, batch.get(0), batch.get(1), trainImage, trainText);
            }
        }
        PatchDropout dropout = model.visual().patchDropout();
        long[] callsBefore = new long[m];
        int devices = replicas.devices().size();
        replicas.refresh();
        try (NDManager step = home.newSubManager(); NDScope scope = new NDScope()) {
            // Pass 1: embeddings only. Grad mode is per thread and on by default off the
            // engine's thread, so switch it off explicitly.
            NDArray images;
            NDArray texts;
            boolean gradMode = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            try {
                NDList imageParts = new NDList(m);
                NDList textParts = new NDList(m);
                for (int k = 0; k < m; k++) {
                    callsBefore[k] = dropout == null ? 0 : dropout.calls();
                    int d = k % devices;
                    try (NDManager micro = home.newSubManager(); NDScope inner = new NDScope()) {
                        NDList batch = feed.load(start(k), end(k, n), device(d), micro);
                        ParameterStore store = replicas.store(d, ps);
                        NDArray image = gather(model.encodeImage(store, batch.get(0), true)); // [b, E]
                        NDArray text = gather(model.encodeText(store, batch.get(1), true));   // [b, E]
                        keep(step, image, text);
                        imageParts.add(image);
                        textParts.add(text);
                    }
                }
                images = NDArrays.concat(imageParts);                                 // [N, E]
                texts = NDArrays.concat(textParts);                                   // [N, E]
                imageParts.close();
                textParts.close();
            } finally {
                JniUtils.setGradMode(gradMode);
            }
            long callsAfter = dropout == null ? 0 : dropout.calls();

            try (LossGradients grads = loss.lossAndGradients(images, texts,
                    model.logitScale().getArray(),
                    model.logitBias() == null ? null : model.logitBias().getArray())) {
                addGradient(model.logitScale(), grads.logitScaleGrad());
                addGradient(model.logitBias(), grads.logitBiasGrad());
                // Pass 2: recompute each micro-batch with a graph and push its slice of dL/dE.
                try {
                    for (int k = 0; k < m; k++) {
                        if (!trainImage && !trainText) {
                            break;
                        }
                        int d = k % devices;
                        NDIndex rows = new NDIndex("{}:{}", start(k), end(k, n));
                        ParameterStore store = replicas.store(d, ps);
                        try (NDManager micro = home.newSubManager(); NDScope inner = new NDScope()) {
                            NDList batch = feed.load(start(k), end(k, n), device(d), micro);
                            if (trainImage) {
                                if (dropout != null) {
                                    dropout.setState(dropout.seed(), callsBefore[k]);
                                }
                                try (NDScope graph = new NDScope(); GradMode on = GradMode.on()) {
                                    NDArray image = model.encodeImage(store, batch.get(0), true);
                                    backward(image, slice(grads.imageGrad(), rows, d));
                                }
                            }
                            if (trainText) {
                                try (NDScope graph = new NDScope(); GradMode on = GradMode.on()) {
                                    NDArray text = model.encodeText(store, batch.get(1), true);
                                    backward(text, slice(grads.textGrad(), rows, d));
                                }
                            }
                        }
                    }
                } finally {
                    if (dropout != null) {
                        dropout.setState(dropout.seed(), callsAfter);
                    }
                }
                replicas.reduceInto();
                return grads.loss().toType(DataType.FLOAT64, false).getDouble();
            }
        } finally {
            replicas.close();
        }
    }

    /**
     * The whole batch fits in one micro-batch: keep the towers' graph from the only forward pass
     * and back-propagate the loss's embedding gradients through it, instead of recomputing it.
     * Same loss, gradients and patch-dropout state as the two-pass path, one forward less.
     */
    private double singlePass(ParameterStore ps, NDArray pixels, NDArray ids, boolean trainImage,
            boolean trainText) {
        try (NDScope scope = new NDScope()) {
            NDArray image;
            NDArray text;
            try (GradMode on = GradMode.on()) {                      // the graph the backward will use
                image = model.encodeImage(ps, pixels, true);                          // [N, E]
                text = model.encodeText(ps, ids, true);                               // [N, E]
            }
            try (NDArray imageLeaf = image.stopGradient(); NDArray textLeaf = text.stopGradient();
                    LossGradients grads = loss.lossAndGradients(imageLeaf, textLeaf,
                            model.logitScale().getArray(),
                            model.logitBias() == null ? null : model.logitBias().getArray())) {
                addGradient(model.logitScale(), grads.logitScaleGrad());
                addGradient(model.logitBias(), grads.logitBiasGrad());
                if (trainImage) {
                    backward(image, grads.imageGrad());
                }
                if (trainText) {
                    backward(text, grads.textGrad());
                }
                return grads.loss().toType(DataType.FLOAT64, false).getDouble();
            }
        }
    }

    private Device device(int d) {
        return replicas.devices().get(d);
    }

    /** First row of micro-batch {@code k}. */
    private long start(int k) {
        return (long) k * microBatchSize;
    }

    /** One past the last row of micro-batch {@code k}. */
    private long end(int k, long n) {
        return Math.min(n, start(k) + microBatchSize);
    }

    /** An embedding computed on any device, on device 0 (where the loss runs). */
    private NDArray gather(NDArray embedding) {
        Device home = device(0);
        return embedding.getDevice().equals(home) ? embedding : embedding.toDevice(home, false);
    }

    /** Rows of a device-0 gradient, on device {@code d}. */
    private NDArray slice(NDArray gradient, NDIndex rows, int d) {
        NDArray part = gradient.get(rows);
        return part.getDevice().equals(device(d)) ? part : part.toDevice(device(d), false);
    }

    /** Whether any parameter of the image tower ({@code visual.*}) or the text tower is trainable. */
    private boolean anyTrainable(boolean image) {
        for (Map.Entry<String, Parameter> e : model.openClipParameters().entrySet()) {
            String name = e.getKey();
            if (name.equals("logit_scale") || name.equals("logit_bias")) {
                continue;
            }
            if (name.startsWith("visual.") == image && e.getValue().requiresGradient()) {
                return true;
            }
        }
        return false;
    }

    /** Releases the parameter copies of the other devices, if a call left any. */
    @Override
    public void close() {
        replicas.close();
    }

    /** Moves arrays made inside an inner scope to the step's manager, out of the scope. */
    private static void keep(NDManager step, NDArray... arrays) {
        for (NDArray a : arrays) {
            NDScope.unregister(a);
            a.attach(step);
        }
    }

    /** {@code .grad(parameter) += g}, as a backward from the leaf itself (no array is created). */
    private static void addGradient(Parameter parameter, NDArray g) {
        if (parameter == null || g == null || !parameter.requiresGradient()) {
            return;
        }
        NDArray value = parameter.getArray();
        NDArray grad = g.getShape().equals(value.getShape()) && g.getDataType() == value.getDataType()
                ? g : g.reshape(value.getShape()).toType(value.getDataType(), false);
        backward(value, grad);
    }

    /** Accumulates {@code sum(z * g)}'s gradient through {@code z}'s graph, without the product. */
    private static void backward(NDArray z, NDArray g) {
        JniUtils.backward((PtNDArray) z, (PtNDArray) g, false, false);
    }
}
