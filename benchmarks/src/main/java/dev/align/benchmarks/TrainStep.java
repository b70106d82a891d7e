package dev.align.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.align.models.clip.ClipModel;
import dev.align.models.clip.ClipOutput;
import dev.align.models.config.ClipConfig;
import dev.align.models.loss.InfoNceLoss;
import dev.align.train.optim.AdamW;
import dev.align.train.optim.AdamWConfig;
import dev.align.train.optim.GradClip;
import java.util.List;

/**
 * One CLIP training step: forward of both towers on a fixed synthetic batch, symmetric InfoNCE,
 * backward, then either gradients zeroed in place ({@link #run}: what {@code zero_grad} does
 * before the peer's next step) or the whole update as the trainer does it ({@link #runWithUpdate}:
 * global-norm clipping, AdamW, {@code logit_scale} clamp). Shared by {@link TrainStepBench} and
 * {@link StepProfile}.
 */
final class TrainStep implements AutoCloseable {

    final ClipConfig config;
    final int batch;
    final NDManager manager;
    final ClipModel model;
    final ParameterStore ps;
    private final NDArray pixels; // [B, 3, S, S], copied into each step's manager
    private final NDArray ids; // [B, T]
    final List<Parameter> trainable;
    final InfoNceLoss loss = new InfoNceLoss();
    private final AdamW optimizer;

    TrainStep(String preset, int batch) {
        this.config = ClipConfig.preset(preset);
        this.batch = batch;
        this.manager = NDManager.newBaseManager();
        this.model = ClipModel.create(config, manager, DataType.FLOAT32, 0);
        this.ps = new ParameterStore(manager, false);
        this.pixels = Batches.pixels(manager, config, batch, 1);
        this.ids = Batches.ids(manager, config, batch, 2);
        this.trainable = model.openClipParameters().values().stream()
                .filter(Parameter::requiresGradient).toList();
        this.optimizer = new AdamW(model.openClipParameters(), new AdamWConfig(0.9, 0.98, 1e-6, 0.1));
    }

    /** Forward, loss, backward, zero the gradients; returns the loss. */
    float run() {
        return forwardBackward(false);
    }

    /**
     * Forward, loss, backward, clip to global norm 1, AdamW at a fixed learning rate (it zeroes
     * the gradients), clamp {@code logit_scale}; returns the loss.
     */
    float runWithUpdate() {
        return forwardBackward(true);
    }

    private float forwardBackward(boolean update) {
        float value;
        // The step's inputs live in a sub-manager, so everything derived from them dies with it;
        // the scope also catches results of ops whose first operand is a weight (those would
        // otherwise attach to the model's manager and pile up, DJL.md section 4).
        try (NDManager step = manager.newSubManager(); NDScope scope = new NDScope()) {
            NDArray px = step(step, pixels);
            NDArray tok = step(step, ids);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                ClipOutput out = model.forward(ps, px, tok, true);
                NDArray l = loss.compute(out.imageEmbeds(), out.textEmbeds(), out.logitScale(), null);
                gc.backward(l);
                value = l.getFloat();
            }
        }
        if (update) {                  // outside the scope: AdamW's moments must outlive the step
            GradClip.clipGlobalNorm(trainable, 1.0);
            optimizer.step(1e-4);
            model.clampLogitScale(Math.log(100));
        } else {
            zeroGradients();
        }
        return value;
    }

    /** A step-local copy of a fixed input (an alias would share the trial manager). */
    static NDArray step(NDManager step, NDArray fixed) {
        NDArray copy = fixed.duplicate();
        copy.attach(step);
        return copy;
    }

    NDArray pixelsForProfile() {
        return pixels;
    }

    NDArray idsForProfile() {
        return ids;
    }

    /** Arrays alive in the model's manager tree, for leak checks. */
    int liveArrays() {
        return manager.getManagedArrays().size();
    }

    /** In-place {@code grad.zero_()} on every trainable weight; creates no array handles. */
    void zeroGradients() {
        for (Parameter p : trainable) {
            JniUtils.zeroGrad((PtNDArray) p.getArray());
        }
    }

    @Override
    public void close() {
        optimizer.close();
        manager.close();
    }
}
