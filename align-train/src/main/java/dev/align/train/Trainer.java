package dev.align.train;

import static dev.align.core.Checks.checkArgument;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.align.core.data.ImageTextSource;
import dev.align.core.io.AtomicFiles;
import dev.align.core.json.Json;
import dev.align.models.clip.ClipModel;
import dev.align.models.io.ModelBundle;
import dev.align.models.io.OpenClipWeights;
import dev.align.models.io.Provenance;
import dev.align.models.loss.ChunkedInfoNceLoss;
import dev.align.models.loss.ChunkedSigLipLoss;
import dev.align.models.loss.InfoNceLoss;
import dev.align.models.loss.SigLipLoss;
import dev.align.models.vision.PatchDropout;
import dev.align.train.checkpoint.Checkpoints;
import dev.align.train.checkpoint.FinalModel;
import dev.align.train.checkpoint.TrainState;
import dev.align.train.config.LossSpec;
import dev.align.train.config.TrainConfig;
import dev.align.train.data.SourceFeed;
import dev.align.train.eval.Evaluation;
import dev.align.train.metrics.ProgressBar;
import dev.align.train.metrics.StepLog;
import dev.align.train.metrics.StepMetrics;
import dev.align.train.metrics.TrainingPlot;
import dev.align.train.optim.AdamW;
import dev.align.train.optim.AdamWConfig;
import dev.align.train.optim.CosineSchedule;
import dev.align.train.optim.GradClip;
import dev.align.train.step.EmbeddingLoss;
import dev.align.train.step.GradientCache;
import dev.align.train.step.MicroBatchFeed;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a dual encoder as OpenCLIP does: AdamW with decoupled weight decay, warmup then cosine,
 * global-norm clipping, {@code logit_scale} clamped to [0, ln 100] after every step, and the loss
 * over the whole global batch however small the micro-batches (gradient caching). Writes to its
 * output folder {@code metrics.jsonl}, {@code training.png}, {@code checkpoints/} and the final
 * {@code model/} folder ({@link ModelBundle}, with the run's tokenizer when the data names one),
 * and with an {@code eval} block {@code eval.jsonl} (an {@link Evaluation} of the live model
 * every N steps, which leaves the weights bit-identical); {@link #open} with {@code resume}
 * continues from the newest valid checkpoint and ends with the same weights as a run that never
 * stopped.
 */
public final class Trainer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final TrainConfig cfg;
    private final Path out;
    private final NDManager manager;
    private final ClipModel model;
    private final List<Parameter> trainable;
    private final AdamW optimizer;
    private final CosineSchedule schedule;
    private final GradientCache accumulator;
    private final Checkpoints checkpoints;
    private final ImageTextSource data;
    private final Provenance provenance;
    private final Seeds seeds;
    private final Evaluation evaluation;
    private TrainState state;
    private Map<String, Long> skippedBeforeSeek = Map.of();
    private StopRequest stop = new StopRequest();

    private Trainer(TrainConfig cfg, ImageTextSource data, Path out, boolean resume) throws IOException {
        this.cfg = cfg;
        this.out = out;
        this.data = data;
        this.seeds = new Seeds(cfg.seed());
        this.evaluation = Evaluation.open(cfg);                    // fails on a bad task before training
        List<Device> devices = cfg.devices().stream().map(Device::fromName).toList();
        this.manager = NDManager.newBaseManager(devices.get(0));
        this.model = ClipModel.create(cfg.model().resolve(), manager, DataType.FLOAT32, seeds.init());
        model.lockImageTower(cfg.lockImage());
        model.lockTextTower(cfg.lockText());
        this.trainable = model.openClipParameters().values().stream()
                .filter(Parameter::requiresGradient).toList();
        var o = cfg.optimizer();
        this.optimizer = new AdamW(model.openClipParameters(),
                new AdamWConfig(o.beta1(), o.beta2(), o.eps(), o.weightDecay()));
        this.schedule = new CosineSchedule(o.peakLr(), o.minLr(), o.warmupSteps(), cfg.steps());
        this.accumulator = new GradientCache(model, lossOf(cfg.loss()), cfg.microBatch(), devices);
        this.checkpoints = new Checkpoints(out.resolve("checkpoints"), cfg.keepCheckpoints());
        this.provenance = Provenance.now(cfg.toJson(), cfg.seed());
        this.state = restore(resume);
    }

    /**
     * Prepares a run writing into {@code out}.
     *
     * @param data the training pairs; the trainer seeks it on resume and closes it at the end
     * @param resume continue from the newest valid checkpoint in {@code out} (a fresh start if
     *     there is none); without it, {@code out} must hold no checkpoints
     */
    public static Trainer open(TrainConfig cfg, ImageTextSource data, Path out, boolean resume)
            throws IOException {
        Files.createDirectories(out);
        return new Trainer(cfg, data, out, resume);
    }

    private TrainState restore(boolean resume) throws IOException {
        Optional<Checkpoints.Found> found = checkpoints.latestValid();
        if (!resume) {
            checkArgument(checkpoints.listNewestFirst().isEmpty(),
                    "%s already holds checkpoints: pass --resume to continue that run, or choose "
                            + "another output folder", out);
            setDropoutState(0);
            AtomicFiles.write(out.resolve("provenance.json"), Json.write(provenance).getBytes(StandardCharsets.UTF_8));
            return TrainState.start();
        }
        if (found.isEmpty()) {
            LOG.info("no checkpoint in {}: starting from step 0", out);
            setDropoutState(0);
            return TrainState.start();
        }
        TrainState s = found.get().state();
        OpenClipWeights.load(model, found.get().model());
        optimizer.loadState(found.get().optimizer());
        data.seek(s.dataPosition());
        skippedBeforeSeek = new HashMap<>(s.skipped());
        data.skipped().forEach((reason, n) -> skippedBeforeSeek.merge(reason, -n, Long::sum));
        setDropoutState(s.patchDropoutCalls());
        LOG.info("resuming from {} (step {})", found.get().path(), s.step());
        return s;
    }

    /** The model being trained. */
    public ClipModel model() {
        return model;
    }

    /** The optimizer (its parameter groups can be printed with {@code describeGroups()}). */
    public AdamW optimizer() {
        return optimizer;
    }

    /** Steps completed so far. */
    public long step() {
        return state.step();
    }

    /**
     * Stops the run cleanly when {@code request} is made: after the step in progress, with a
     * checkpoint, by throwing {@link TrainingStoppedException} from {@link #run}. A request made
     * during the last step lets the run finish.
     *
     * @return this trainer
     */
    public Trainer stopWhen(StopRequest request) {
        this.stop = java.util.Objects.requireNonNull(request, "request");
        return this;
    }

    /** Runs to {@code cfg.steps()}, printing progress to {@code err}. */
    public TrainResult run(PrintStream err) throws IOException {
        return run(err, m -> { });
    }

    /**
     * Runs to {@code cfg.steps()}, printing progress to {@code err} and handing every step's
     * metrics to {@code observer} (after the metrics line is written, before the checkpoint).
     */
    public TrainResult run(PrintStream err, Consumer<StepMetrics> observer) throws IOException {
        // Grad mode is per thread, off only on the thread that loaded the engine (DJL.md section
        // 6). Off here too, whatever thread runs this (the curation experiment trains several runs
        // on threads of its own): each step switches it on where it builds a graph, and nothing
        // else (norms, the optimizer, the logit-scale clamp, checkpoints) builds one.
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return runSteps(err, observer);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    private TrainResult runSteps(PrintStream err, Consumer<StepMetrics> observer)
            throws IOException {
        ProgressBar progress = new ProgressBar(err, cfg.steps());
        ParameterStore ps = new ParameterStore(manager, false);
        int b = cfg.globalBatch();
        long start = System.nanoTime();
        double loss = Double.NaN;
        evaluation.startLog(out.resolve("eval.jsonl"), state.step());
        StopRequest watched = stop;
        boolean watching = true;
        watched.watch();
        try (StepLog<StepMetrics> metrics = new StepLog<>(out.resolve("metrics.jsonl"), state.step(),
                StepMetrics.class, StepMetrics::step)) {
            for (long step = state.step(); step < cfg.steps(); step++) {
                long t0 = System.nanoTime();
                double lr = schedule.lr(step);
                double gradNorm;
                try (NDManager scope = manager.newSubManager()) {             // every step tensor dies here
                    MicroBatchFeed feed = cfg.replayMicroBatches() ? new SourceFeed(data, b,
                            model.config().text())
                            : MicroBatchFeed.of(SourceFeed.arrays(data.next(b), model.config().text(),
                                    manager.getDevice(), scope));
                    loss = accumulator.forwardBackward(ps, feed);             // global-batch loss
                    gradNorm = GradClip.clipGlobalNorm(trainable, cfg.optimizer().gradClipNorm());
                }
                if (!Double.isFinite(loss)) {
                    throw new TrainingDivergedException("loss", loss, step + 1);
                }
                if (!Double.isFinite(gradNorm)) {
                    throw new TrainingDivergedException("gradient norm", gradNorm, step + 1);
                }
                optimizer.step(lr);
                model.clampLogitScale(Math.log(100));                          // temperature >= 0.01
                state = new TrainState(step + 1, data.position(), dropoutCalls(), null, skipped());
                double seconds = (System.nanoTime() - t0) / 1e9;
                StepMetrics m = new StepMetrics(step + 1, loss, lr, gradNorm, parameterNorm(),
                        Math.exp(model.logitScale().getArray().getFloat()), b / seconds,
                        (System.nanoTime() - start) / 1e9, state.skipped());
                metrics.log(m);
                progress.update(m, seconds * (cfg.steps() - step - 1));
                observer.accept(m);
                if (evaluation.isDue(step + 1)) {                              // eval mode, grad off
                    progress.evaluated(step + 1, Evaluation.summary(evaluation.run(step + 1, model)));
                }
                boolean stopping = stop.isRequested() && step + 1 < cfg.steps();
                if (cfg.isCheckpointStep(step) || stopping) {
                    checkpoints.save(model, optimizer, state, provenance);
                }
                if (stopping) {
                    throw new TrainingStoppedException(state.step(),
                            checkpoints.pathOf(state.step()), stop.reason());
                }
            }
            watched.unwatch();                     // past the last step a request is not honoured
            watching = false;
            Path modelDir = FinalModel.write(model, out, provenance, cfg.data().tokenizer() == null
                    ? null : Path.of(cfg.data().tokenizer()), state.step());
            TrainingPlot.write(metrics.history(), evaluation.history(), out.resolve("training.png"));
            double elapsed = (System.nanoTime() - start) / 1e9;
            return new TrainResult(state.step(), loss, modelDir, metrics.history().isEmpty() ? 0
                    : (double) b * metrics.history().size() / Math.max(elapsed, 1e-9));
        } finally {
            if (watching) {
                watched.unwatch();
            }
        }
    }

    /** The embedding loss gradient caching needs, from the config. */
    static EmbeddingLoss lossOf(LossSpec spec) {
        return switch (spec.kind()) {
            case INFONCE -> EmbeddingLoss.autograd(new InfoNceLoss(spec.labelSmoothing()));
            case INFONCE_CHUNKED -> EmbeddingLoss.chunked(
                    new ChunkedInfoNceLoss(spec.chunk(), spec.labelSmoothing()));
            case SIGLIP -> EmbeddingLoss.autograd(new SigLipLoss());
            case SIGLIP_CHUNKED -> EmbeddingLoss.chunked(new ChunkedSigLipLoss(spec.chunk()));
        };
    }

    /** Arrays alive in the trainer's manager and its children: flat from step to step. */
    public int liveArrayCount() {
        return manager.getManagedArrays().size();
    }

    private double parameterNorm() {
        double sum = 0;
        for (Parameter p : trainable) {
            try (NDArray sq = p.getArray().square(); NDArray s = sq.sum();
                    NDArray d = s.toType(DataType.FLOAT64, true)) {
                sum += d.getDouble();
            }
        }
        return Math.sqrt(sum);
    }

    /**
     * Samples skipped since the run began: the source's counts, plus what it skipped before the
     * checkpoint this run resumed from and did not count again while seeking.
     */
    private Map<String, Long> skipped() {
        Map<String, Long> all = new TreeMap<>(data.skipped());
        skippedBeforeSeek.forEach((reason, n) -> all.merge(reason, Math.max(0, n), Long::sum));
        all.values().removeIf(n -> n == 0);
        return all;
    }

    private long dropoutCalls() {
        PatchDropout d = model.visual().patchDropout();
        return d == null ? 0 : d.calls();
    }

    private void setDropoutState(long calls) {
        PatchDropout d = model.visual().patchDropout();
        if (d != null) {
            d.setState(seeds.dropout(), calls);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            data.close();
        } finally {
            try {
                evaluation.close();
            } finally {
                optimizer.close();
                accumulator.close();
                manager.close();
            }
        }
    }
}
