package dev.align.train.eval;

import static dev.align.core.Checks.checkArgument;
import static dev.align.core.Checks.checkState;

import dev.align.data.folder.ImageFolder;
import dev.align.data.shards.ShardReaderOptions;
import dev.align.data.text.Tokenizer;
import dev.align.eval.Progress;
import dev.align.eval.embed.ClipEmbedder;
import dev.align.eval.retrieval.RecallAtK;
import dev.align.eval.retrieval.Retrieval;
import dev.align.eval.retrieval.RetrievalEvaluator;
import dev.align.eval.retrieval.RetrievalReport;
import dev.align.eval.zeroshot.Templates;
import dev.align.eval.zeroshot.ZeroShotClassifier;
import dev.align.eval.zeroshot.ZeroShotEvaluator;
import dev.align.eval.zeroshot.ZeroShotReport;
import dev.align.models.clip.ClipModel;
import dev.align.models.config.TextConfig;
import dev.align.train.config.EvalSpec;
import dev.align.train.config.TrainConfig;
import dev.align.train.metrics.StepLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scores the model being trained on the tasks of a run's {@link EvalSpec}, with align-eval's
 * {@link ZeroShotClassifier}, {@link ZeroShotEvaluator} and {@link RetrievalEvaluator} over a
 * {@link ClipEmbedder} that wraps the live model: forward passes in eval mode (no patch dropout),
 * gradients off on the calling thread and restored after, every array in the embedder's own
 * scopes. Nothing it does touches the weights, the optimizer, the data source or the patch
 * dropout counter, so a run trains to bit-identical weights with or without evaluation (tested).
 *
 * <p>Everything a task needs is checked and loaded by {@link #open} before training starts: the
 * folders and their class subsets, the templates, the shards, the tokenizer.
 */
public final class Evaluation implements AutoCloseable {

    private final EvalSpec spec;
    private final long steps;
    private final Tokenizer tokenizer;
    private final List<ZeroShotSet> zeroShot;
    private final List<RetrievalSet> retrieval;
    private StepLog<EvalResult> log;

    /** A prepared zero-shot task. */
    private record ZeroShotSet(String name, ImageFolder folder, List<String> templates) {}

    /** A prepared retrieval task. */
    private record RetrievalSet(String name, ShardReaderOptions shards, long maxPairs) {}

    private Evaluation(EvalSpec spec, long steps, Tokenizer tokenizer, List<ZeroShotSet> zeroShot,
            List<RetrievalSet> retrieval) {
        this.spec = spec;
        this.steps = steps;
        this.tokenizer = tokenizer;
        this.zeroShot = zeroShot;
        this.retrieval = retrieval;
    }

    /**
     * Prepares the evaluation a run config asks for (none when it has no {@code eval} block).
     *
     * @throws IllegalArgumentException naming the task, if a folder, class list, template set,
     *     shard or tokenizer is missing or malformed, or the tokenizer does not fit the model
     * @throws IOException if a file cannot be read
     */
    public static Evaluation open(TrainConfig cfg) throws IOException {
        EvalSpec spec = cfg.eval();
        if (spec == null) {
            return new Evaluation(null, cfg.steps(), null, List.of(), List.of());
        }
        List<ZeroShotSet> zeroShot = new ArrayList<>();
        for (EvalSpec.ZeroShotTask t : spec.zeroShot()) {
            ImageFolder folder = ImageFolder.open(Path.of(t.folder()));
            if (t.classes() != null) {
                folder = folder.onlyClasses(ImageFolder.readNameList(Path.of(t.classes())));
            }
            String templates = t.templates() != null ? t.templates()
                    : Templates.forFolder(folder.root());
            zeroShot.add(new ZeroShotSet(t.name(), folder, Templates.named(templates)));
        }
        List<RetrievalSet> retrieval = new ArrayList<>();
        for (EvalSpec.RetrievalTask t : spec.retrieval()) {
            ShardReaderOptions shards = ShardReaderOptions.of(t.shards());
            List<String> missing = shards.shards().stream()
                    .filter(s -> !Files.isRegularFile(Path.of(s))).limit(3).toList();
            checkArgument(missing.isEmpty(), "eval.retrieval %s: shards %s do not exist",
                    t.name(), missing);
            retrieval.add(new RetrievalSet(t.name(), shards,
                    t.maxPairs() == null ? 0 : t.maxPairs()));
        }
        return new Evaluation(spec, cfg.steps(), tokenizer(spec, cfg), List.copyOf(zeroShot),
                List.copyOf(retrieval));
    }

    private static Tokenizer tokenizer(EvalSpec spec, TrainConfig cfg) throws IOException {
        String file = spec.tokenizer() != null ? spec.tokenizer() : cfg.data().tokenizer();
        checkArgument(file != null, "eval needs the tokenizer the model's text is encoded with: "
                + "set eval.tokenizer (data.kind %s names none)", cfg.data().kind());
        TextConfig text = cfg.model().resolve().text();
        checkArgument(Files.isRegularFile(Path.of(file)), "eval tokenizer %s does not exist",
                file);
        Tokenizer t = Tokenizer.load(Path.of(file), text.contextLength());
        if (t.vocabSize() > text.vocabSize()) {
            if (t instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // failing anyway
                }
            }
            throw new IllegalArgumentException(String.format("eval tokenizer %s has %s ids but "
                    + "the model's text tower embeds only %s", file, t.vocabSize(),
                    text.vocabSize()));
        }
        return t;
    }

    /**
     * Starts (or, on resume, continues) {@code eval.jsonl}, dropping the lines of steps after
     * {@code resumeStep}. Does nothing without tasks.
     */
    public void startLog(Path file, long resumeStep) throws IOException {
        if (spec != null && log == null) {
            log = new StepLog<>(file, resumeStep, EvalResult.class, EvalResult::step);
        }
    }

    /** Whether the model is evaluated after {@code step} steps (1-based). */
    public boolean isDue(long step) {
        return spec != null && spec.isDue(step, steps);
    }

    /**
     * Evaluates every task on {@code model} as it is after {@code step} steps, and logs the
     * results.
     *
     * @return one result per task, zero-shot tasks first, in config order
     */
    public List<EvalResult> run(long step, ClipModel model) throws IOException {
        checkState(spec != null && log != null, "no evaluation configured, or startLog not called");
        List<EvalResult> out = new ArrayList<>();
        int chunk = Math.max(spec.batch(), ZeroShotEvaluator.DEFAULT_CHUNK);
        try (ClipEmbedder clip = ClipEmbedder.of(model, tokenizer, spec.batch())) {
            for (ZeroShotSet z : zeroShot) {
                long t0 = System.nanoTime();
                ZeroShotClassifier classifier = ZeroShotClassifier.build(clip,
                        z.folder().classNames(), z.templates());
                ZeroShotReport r = ZeroShotEvaluator.evaluate(z.name(), z.folder(), clip,
                        classifier, z.templates().size(), chunk, Progress.NONE);
                out.add(new EvalResult(step, EvalResult.ZERO_SHOT, z.name(), r.evaluated(),
                        r.classes(), r.top1(), r.top5(), null, null, null,
                        (r.top1() + r.top5()) / 2, seconds(t0)));
            }
            for (RetrievalSet s : retrieval) {
                long t0 = System.nanoTime();
                RetrievalReport r = RetrievalEvaluator.evaluate(s.name(), s.shards(), clip, clip,
                        Retrieval.DEFAULT_KS, chunk, s.maxPairs(), Progress.NONE);
                double[] at = new double[3];
                double sum = 0;
                for (RecallAtK k : r.recalls()) {
                    at[Retrieval.DEFAULT_KS.indexOf(k.k())] = k.mean();
                    sum += k.imageToText() + k.textToImage();
                }
                out.add(new EvalResult(step, EvalResult.RETRIEVAL, s.name(), r.images(), null,
                        null, null, at[0], at[1], at[2], sum / (2 * r.recalls().size()),
                        seconds(t0)));
            }
        }
        for (EvalResult r : out) {
            log.log(r);
        }
        return out;
    }

    /** Every result logged so far, those kept from before a resume included. */
    public List<EvalResult> history() {
        return log == null ? List.of() : log.history();
    }

    /** One line for the progress display: {@code "openmoji top-1 12.3%, pairs R@1 4.5%"}. */
    public static String summary(List<EvalResult> results) {
        List<String> parts = new ArrayList<>();
        for (EvalResult r : results) {
            parts.add(String.format(Locale.ROOT, "%s %.1f%%", r.headlineName(),
                    100 * r.headline()));
        }
        return String.join(", ", parts);
    }

    private static double seconds(long t0) {
        return Math.round((System.nanoTime() - t0) / 1e7) / 100.0;
    }

    /** Closes the log and the tokenizer. */
    @Override
    public void close() throws IOException {
        try {
            if (log != null) {
                log.close();
            }
        } finally {
            if (tokenizer instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IOException("closing the eval tokenizer failed", e);
                }
            }
        }
    }
}
