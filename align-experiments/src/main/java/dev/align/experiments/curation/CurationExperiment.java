package dev.align.experiments.curation;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align.core.Checks;
import dev.align.core.io.AtomicFiles;
import dev.align.core.io.FileTrees;
import dev.align.core.json.Json;
import dev.align.curation.metaclip.Metadata;
import dev.align.curation.pipeline.CurationConfig;
import dev.align.curation.pipeline.CurationPipeline;
import dev.align.curation.pipeline.CurationSummary;
import dev.align.curation.pipeline.StepSummary;
import dev.align.curation.pipeline.StepSyntax;
import dev.align.data.imports.EmojiImporter;
import dev.align.data.imports.ImportListener;
import dev.align.data.imports.ImportOptions;
import dev.align.data.imports.ImportSummary;
import dev.align.data.imports.Importer;
import dev.align.data.imports.MdiImporter;
import dev.align.data.imports.OpenClipartImporter;
import dev.align.data.imports.OpenMojiImporter;
import dev.align.data.shards.Sample;
import dev.align.data.shards.ShardReader;
import dev.align.data.shards.ShardReaderOptions;
import dev.align.data.shards.ShardWriter;
import dev.align.data.text.BpeTokenizer;
import dev.align.eval.zeroshot.Templates;
import dev.align.experiments.eval.ArmEvaluator;
import dev.align.experiments.eval.EvalClass;
import dev.align.experiments.eval.EvalResult;
import dev.align.experiments.eval.EvalSet;
import dev.align.experiments.eval.EvalSetSummary;
import dev.align.experiments.internal.JsonLines;
import dev.align.experiments.internal.PrefixedLines;
import dev.align.experiments.pool.ManifestEntry;
import dev.align.experiments.pool.NoiseInjector;
import dev.align.experiments.pool.PoolFiles;
import dev.align.experiments.pool.PoolItem;
import dev.align.experiments.pool.PoolSummary;
import dev.align.experiments.pool.SourceItems;
import dev.align.experiments.report.ReportFiles;
import dev.align.experiments.stats.ConceptBalance;
import dev.align.experiments.stats.RemovalMetrics;
import dev.align.experiments.stats.SeedStatistics;
import dev.align.models.config.TextConfig;
import dev.align.models.io.Provenance;
import dev.align.train.StopRequest;
import dev.align.train.TrainResult;
import dev.align.train.Trainer;
import dev.align.train.TrainingStoppedException;
import dev.align.train.config.TrainConfig;
import dev.align.train.data.DataSources;
import dev.align.core.data.ImageTextSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Runs the curation experiment end to end into one folder, in stages that each leave a
 * completion marker written atomically last, so an interrupted experiment resumes where it
 * stopped: finished imports, pool, curations, training runs and evaluations are not redone, and
 * a training run cut short continues from its last checkpoint (bit-identical to one that never
 * stopped). A {@link StopRequest} ({@link #stopWhen}; {@code ./align experiment} makes one on
 * SIGTERM) stops a training run after its step in progress, with a checkpoint, or the experiment
 * before its next stage; either way {@link #run} throws {@link TrainingStoppedException} and
 * running it again resumes.
 *
 * <p><b>Runs at once.</b> After the pool, the filter network's run, the curations and the arms'
 * runs (each trained, then evaluated) are jobs that {@code parallelRuns} threads take in order, a
 * job starting once what it needs is done (DFN's curations wait for the filter network). A run's
 * result does not depend on what trains beside it or in which order runs finish: its seed fixes
 * its data order, initialisation and dropout, no DJL {@code GradientCollector} (one per process)
 * is used, and grad mode, which is per thread, is set on each. libtorch's intra-op threads are
 * one number for the process, read when its engine loads; give it
 * {@link CurationExperimentConfig#threadsPerRun()} ({@code ./align experiment} does). A stop
 * request checkpoints every run in progress, and a job that fails stops the others the same
 * way before its exception is thrown. With several runs at once, each run's progress is printed
 * as plain lines prefixed with its name.
 *
 * <pre>
 * OUT/config.json                  the config (a rerun must use the same one; parallelRuns
 *                                  may differ)
 * OUT/work/imports/KIND/           each real source imported (import.json marks it done)
 * OUT/work/pool/                   shards/, manifest.jsonl, tokenizer.json, pool.json (last)
 * OUT/work/clean/shards/           the clean set DFN's filter network trains on
 * OUT/work/eval-set/               zero-shot/ (ImageFolder), retrieval/, eval-set.json (last)
 * OUT/work/metadata.txt            MetaCLIP metadata built from the pool's captions
 * OUT/filter/                      the filter network's run (model/, run.json last)
 * OUT/arms/ARM/curation/           the curate pipeline's output (shards/, decisions.jsonl)
 * OUT/arms/ARM/curation.json       what the arm kept (marker)
 * OUT/arms/ARM/seed-S/             the training run (model/, metrics.jsonl, training.png),
 *                                  run.json and eval.json (markers)
 * OUT/report.json, report.md, plots/*.png
 * </pre>
 */
public final class CurationExperiment {

    /** Version of {@code report.json}. */
    public static final int REPORT_SCHEMA_VERSION = 1;

    /** The metrics compared between arms, in report order. */
    public static final List<String> METRICS = List.of("zeroShotTop1", "zeroShotTop5",
            "headTop1", "tailTop1", "headTop5", "tailTop5", "imageToTextR1", "imageToTextR5",
            "textToImageR1", "textToImageR5", "meanRecallAt1");

    /** The largest clean set DFN's filter may train on, as a share of the pool. */
    public static final double MAX_CLEAN_SHARE = 0.15;

    /** Finds (and fetches, if allowed) the folder of a real data set. */
    @FunctionalInterface
    public interface SourceLocator {
        /**
         * @param kind {@code emoji}, {@code mdi}, {@code openclipart} or {@code openmoji}
         * @return the folder {@code tools/fetch/fetch KIND} fills
         */
        Path locate(String kind) throws IOException;
    }

    private final CurationExperimentConfig config;
    private final Path out;
    private final SourceLocator sources;
    private final PrintStream log;
    private final Path work;
    private StopRequest stop = new StopRequest();

    /**
     * @param config the experiment
     * @param out the report folder (created; an earlier run of the same config resumes)
     * @param sources where the real data sets are
     * @param log where progress goes (for example {@code System.err})
     */
    public CurationExperiment(CurationExperimentConfig config, Path out, SourceLocator sources,
            PrintStream log) {
        Checks.checkArgument(config != null && out != null && sources != null && log != null,
                "config, out, sources and log must not be null");
        Checks.checkArgument(!out.toAbsolutePath().toString().contains(","), "the output folder "
                + "%s contains a comma, which the curate step syntax cannot quote: choose "
                + "another", out);
        this.config = config;
        this.out = out.toAbsolutePath();
        this.sources = sources;
        this.log = log;
        this.work = this.out.resolve("work");
    }

    /**
     * Stops the experiment cleanly when {@code request} is made: a training run in progress
     * finishes its step and writes a checkpoint; otherwise the experiment stops before its next
     * stage. {@link #run} then throws {@link TrainingStoppedException}; running the experiment
     * again resumes.
     *
     * @return this experiment
     */
    public CurationExperiment stopWhen(StopRequest request) {
        Checks.checkArgument(request != null, "request must not be null");
        this.stop = request;
        return this;
    }

    /** The plan of this experiment's config. */
    public Plan plan() {
        return Plan.of(config);
    }

    /**
     * Runs (or resumes) the experiment and writes the report.
     *
     * @return the report, also written as {@code report.json}
     * @throws IllegalArgumentException if the folder holds an experiment with another config, or
     *     a setting cannot work (a source too small, an arm that keeps nothing)
     */
    public ExperimentReport run() throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(work);
        checkConfig();
        Plan plan = plan();
        say("%s", plan.describe());

        Map<String, ImportSummary> imports = importSources();
        Path openmoji = config.eval().openmoji() != null ? Path.of(config.eval().openmoji())
                : work.resolve("imports").resolve("openmoji");
        List<EvalClass> openmojiClasses = EvalSet.openMojiClasses(openmoji);
        PoolState pool = pool(openmojiClasses);
        EvalSetSummary evalSet = evalSet(openmoji, openmojiClasses, pool);
        int metadataEntries = metadata(pool);
        stopIfRequested();

        // Jobs: the filter network's run, the curations (DFN's wait for the filter), then every
        // arm's runs seed-major (every arm early), parallelRuns at a time; one thread runs them
        // in this order, as stages.
        StopRequest runStop = stop.linked();               // a failed job stops the others too
        int parallel = config.parallelRuns();
        if (parallel > 1) {
            // Load the engine here: job threads then only use it (grad mode off on each, as on
            // the thread that loaded it).
            Engine.getEngine("PyTorch");
            say("%d training runs at a time, %d libtorch threads each (set by "
                    + "-Dai.djl.pytorch.num_threads when the engine loads; the config asks for %d)",
                    parallel, JniUtils.getNumThreads(), config.threadsPerRun());
        }
        Jobs jobs = new Jobs(parallel, runStop, () -> JniUtils.setGradMode(false));
        RunResult[] filterRun = new RunResult[1];
        Jobs.Job filterJob = config.arms().stream().noneMatch(ArmConfig::usesFilter) ? null
                : jobs.add("filter", List.of(), () -> filterRun[0] = filter(pool, runStop));
        int armCount = config.arms().size();
        ArmCuration[] curations = new ArmCuration[armCount];
        List<Jobs.Job> curated = new ArrayList<>();
        for (int a = 0; a < armCount; a++) {
            ArmConfig arm = config.arms().get(a);
            int i = a;
            curated.add(jobs.add("curation of " + arm.name(), arm.usesFilter()
                    ? List.of(filterJob) : List.of(), () -> curations[i] = curate(arm, pool)));
        }
        List<Long> seeds = config.trainSeeds();
        SeedRun[][] results = new SeedRun[seeds.size()][armCount];
        RunCounter counter = new RunCounter(armCount * seeds.size(), parallel);
        for (int s = 0; s < seeds.size(); s++) {             // seed-major: every arm early
            for (int a = 0; a < armCount; a++) {
                ArmConfig arm = config.arms().get(a);
                long seed = seeds.get(s);
                int si = s;
                int ai = a;
                jobs.add(arm.name() + " seed " + seed, List.of(curated.get(a)),
                        () -> results[si][ai] = trainAndEvaluate(arm, curations[ai], seed,
                                evalSet, runStop, counter));
            }
        }
        jobs.run();
        RunResult filter = filterRun[0];
        List<ArmCuration> curationList = List.of(curations);
        Map<String, Map<Long, SeedRun>> runs = new LinkedHashMap<>();
        for (int s = 0; s < seeds.size(); s++) {
            for (int a = 0; a < armCount; a++) {
                runs.computeIfAbsent(config.arms().get(a).name(), k -> new LinkedHashMap<>())
                        .put(seeds.get(s), results[s][a]);
            }
        }

        List<ArmReport> arms = new ArrayList<>();
        Map<String, Double[]> rawValues = new LinkedHashMap<>();
        ArmConfig raw = config.rawArm();
        for (String metric : METRICS) {
            rawValues.put(metric, values(runs.get(raw.name()), metric));
        }
        for (int a = 0; a < config.arms().size(); a++) {
            ArmConfig arm = config.arms().get(a);
            Map<Long, SeedRun> r = runs.get(arm.name());
            Map<String, MetricStats> metrics = new LinkedHashMap<>();
            for (String metric : METRICS) {
                Double[] v = values(r, metric);
                Double[] base = rawValues.get(metric);
                if (v == null || base == null) {
                    continue;
                }
                double[] x = unbox(v);
                metrics.put(metric, new MetricStats(x, SeedStatistics.summarise(x),
                        arm.kind() == ArmKind.RAW ? null : SeedStatistics.paired(x, unbox(base),
                                SeedStatistics.CONFIDENCE)));
            }
            arms.add(new ArmReport(arm.name(), arm.kind(), curationList.get(a),
                    List.copyOf(r.values()), metrics));
        }
        List<Check> checks = SelfChecks.of(config, pool.manifest, pool.summary, evalSet, arms,
                out);
        Map<String, Long> leftOut = readLeftOut();
        ExperimentReport report = new ExperimentReport(REPORT_SCHEMA_VERSION, "curation", config,
                Provenance.now(config.toJson(), config.seed()), plan, imports, pool.summary,
                leftOut, evalSet, filter, metadataEntries, arms, checks,
                (System.nanoTime() - t0) / 1e9);
        Map<String, int[]> histograms = new LinkedHashMap<>();
        for (ArmConfig arm : config.arms()) {
            Set<String> kept = kept(arm, pool);
            histograms.put(arm.name(), ConceptBalance.sortedCounts(pool.manifest, kept::contains));
        }
        ReportFiles.write(report, histograms, out);
        for (Check c : checks) {
            say("check %s: %s (%s)", c.passed() ? "ok  " : "FAIL", c.name(), c.detail());
        }
        say("report: %s", out.resolve(ReportFiles.REPORT_MD));
        return report;
    }

    // ---- stages ----

    private void checkConfig() throws IOException {
        Path file = out.resolve("config.json");
        String json = config.toJson();
        if (Files.isRegularFile(file)) {
            String before = Files.readString(file, StandardCharsets.UTF_8);
            Checks.checkArgument(sameExperiment(before, json), "%s holds an experiment with "
                    + "another config (%s): rerun with --config %s to resume it, or choose "
                    + "another output folder", out, file, file);
            if (!before.equals(json)) {                  // another parallelRuns: the new one
                AtomicFiles.write(file, json.getBytes(StandardCharsets.UTF_8));
            }
            say("resuming the experiment in %s", out);
        } else {
            AtomicFiles.write(file, json.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Whether two configs describe the same experiment: equal but for {@code parallelRuns}, which
     * only sets how many runs train at once (a folder written before it existed has none).
     */
    static boolean sameExperiment(String before, String now) {
        try {
            JsonNode a = Json.mapper().readTree(before);
            JsonNode b = Json.mapper().readTree(now);
            if (!(a instanceof ObjectNode x) || !(b instanceof ObjectNode y)) {
                return false;
            }
            x.remove("parallelRuns");
            y.remove("parallelRuns");
            return x.equals(y);
        } catch (IOException e) {
            return false;                                 // not JSON: not this experiment
        }
    }

    private Map<String, ImportSummary> importSources() throws IOException {
        List<String> kinds = new ArrayList<>();
        config.pool().sources().forEach(s -> kinds.add(s.kind()));
        if (config.eval().openmoji() == null) {
            kinds.add("openmoji");
        }
        Map<String, ImportSummary> out = new LinkedHashMap<>();
        for (String kind : kinds) {
            Path dir = work.resolve("imports").resolve(kind);
            Path marker = dir.resolve("import.json");
            if (!Files.isRegularFile(marker)) {
                FileTrees.delete(dir);
                long limit = kind.equals("openmoji") ? config.eval().openmojiLimit()
                        : config.pool().sources().stream().filter(s -> s.kind().equals(kind))
                                .mapToLong(SourceConfig::limit).findFirst().orElse(0);
                Path source = sources.locate(kind);
                Importer importer = switch (kind) {
                    case "emoji" -> new EmojiImporter(source, EmojiImporter.DEFAULT_STYLES, 0);
                    case "mdi" -> new MdiImporter(source);
                    case "openclipart" -> new OpenClipartImporter(source);
                    case "openmoji" -> new OpenMojiImporter(source);
                    default -> throw new IllegalArgumentException("no importer for " + kind);
                };
                say("importing %s%s from %s", kind, limit == 0 ? "" : " (at most " + limit + ")",
                        source);
                ImportOptions options = ImportOptions.of(dir).withSeed(config.seed())
                        .withLimit(limit).withImageSize(config.pool().imageSize());
                importer.run(options, ImportListener.NONE);
            }
            out.put(kind, Json.read(marker, ImportSummary.class));
            say("%s: %d samples, skipped %s (%.1f s)", kind, out.get(kind).samples(),
                    out.get(kind).skipped(), out.get(kind).seconds());
        }
        return out;
    }

    /** The pool as later stages need it. */
    private record PoolState(List<ManifestEntry> manifest, PoolSummary summary, String shards,
            String tokenizer, String cleanShards, int cleanPairs) {}

    private PoolState pool(List<EvalClass> openmojiClasses) throws IOException {
        Path dir = work.resolve("pool");
        Path cleanDir = work.resolve("clean");
        if (!Files.isRegularFile(dir.resolve(PoolFiles.SUMMARY))) {
            FileTrees.delete(dir);
            FileTrees.delete(cleanDir);
            Files.createDirectories(dir);
            List<PoolItem> items = new ArrayList<>();
            Map<String, Long> leftOut = new TreeMap<>();
            Map<String, Double> heldOut = new TreeMap<>();
            for (SourceConfig s : config.pool().sources()) {
                items.addAll(SourceItems.read(s.kind(), PoolFiles.importShards(
                        work.resolve("imports").resolve(s.kind())), leftOut));
                heldOut.put(s.kind(), s.heldOut());
            }
            Set<String> candidates = new HashSet<>();
            openmojiClasses.forEach(c -> {
                if (c.concept() != null) {
                    candidates.add(c.concept());
                }
            });
            NoiseInjector.Result built = NoiseInjector.build(items, candidates, heldOut,
                    config.noise(), config.seed());
            int poolPairs = built.manifest().size();
            Checks.checkArgument(built.cleanSet().size() <= MAX_CLEAN_SHARE * poolPairs,
                    "the clean set (%s pairs) is more than %s of the pool (%s pairs): lower the "
                            + "sources' heldOut shares", built.cleanSet().size(),
                    MAX_CLEAN_SHARE, poolPairs);
            if (!built.cleanSet().isEmpty()) {
                PoolFiles.writeClean(built.cleanSet(), cleanDir, config.pool().shardSize());
            }
            TextConfig text = config.recipe().clipConfig().text();
            Checks.checkArgument(text.vocabSize() >= 514, "the recipe's model embeds %s token "
                    + "ids; the pool's BPE tokenizer needs at least 514", text.vocabSize());
            List<String> captions = built.manifest().stream().map(ManifestEntry::caption).toList();
            BpeTokenizer.train(captions, text.vocabSize(), text.contextLength())
                    .save(dir.resolve("tokenizer.json"));
            AtomicFiles.write(dir.resolve("left-out.json"), Json.write(leftOut)
                    .getBytes(StandardCharsets.UTF_8));
            PoolFiles.writePool(built, dir, config.pool().shardSize());
        }
        List<ManifestEntry> manifest = PoolFiles.readManifest(dir.resolve(PoolFiles.MANIFEST));
        PoolSummary summary = Json.read(dir.resolve(PoolFiles.SUMMARY), PoolSummary.class);
        String clean = summary.cleanPairs() == 0 ? null : PoolFiles.pattern(
                cleanDir.resolve(PoolFiles.SHARDS), shardCount(cleanDir.resolve(PoolFiles.SHARDS)));
        say("pool: %d pairs of %d concepts %s; defects %s; %d head concepts make %d pairs (%d "
                + "near-duplicates); clean set %d pairs %s", summary.pairs(), summary.concepts(),
                summary.pairsBySource(), summary.pairsByDefect(), summary.headConcepts().size(),
                summary.headPairs(), summary.nearDuplicates(), summary.cleanPairs(),
                summary.cleanPairsBySource());
        return new PoolState(manifest, summary, PoolFiles.pattern(dir.resolve(PoolFiles.SHARDS),
                shardCount(dir.resolve(PoolFiles.SHARDS))), dir.resolve("tokenizer.json")
                .toString(), clean, summary.cleanPairs());
    }

    private Map<String, Long> readLeftOut() throws IOException {
        JsonNode node = Json.mapper().readTree(work.resolve("pool").resolve("left-out.json")
                .toFile());
        Map<String, Long> m = new TreeMap<>();
        node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asLong()));
        return m;
    }

    private EvalSetSummary evalSet(Path openmoji, List<EvalClass> classes, PoolState pool)
            throws IOException {
        Path dir = work.resolve("eval-set");
        Path marker = dir.resolve("eval-set.json");
        if (!Files.isRegularFile(marker)) {
            FileTrees.delete(dir);
            Set<String> concepts = new HashSet<>();
            pool.manifest.forEach(e -> concepts.add(e.concept()));
            List<EvalClass> chosen = EvalSet.choose(classes, concepts,
                    new HashSet<>(pool.summary.headConcepts()), config.eval().classes(),
                    config.seed());
            List<String> templates;
            if (config.eval().templates() == null) {
                Path file = openmoji.resolve(EvalSet.IMPORT_EVAL).resolve(EvalSet.IMPORT_TEMPLATES);
                Checks.checkArgument(Files.isRegularFile(file), "the OpenMoji import has no %s: "
                        + "set eval.templates to a template set name or file", file);
                templates = Templates.read(file);
            } else {
                templates = Templates.named(config.eval().templates());
            }
            EvalSet.write(openmoji, chosen, templates, dir);
        }
        EvalSetSummary s = Json.read(marker, EvalSetSummary.class);
        say("evaluation set: %d OpenMoji classes (%d head, %d tail; chance top-1 %.1f%%), %d "
                + "retrieval pairs, %d templates", s.classes().size(), s.headClasses(),
                s.tailClasses(), 100 * s.chanceTop1(), s.retrievalPairs(), s.templates().size());
        return s;
    }

    private int metadata(PoolState pool) throws IOException {
        if (config.arms().stream().noneMatch(ArmConfig::usesMetadata)) {
            return 0;
        }
        Path file = work.resolve("metadata.txt");
        if (!Files.isRegularFile(file)) {
            List<String> captions = pool.manifest.stream().map(ManifestEntry::caption).toList();
            Metadata.write(Metadata.fromCaptions(captions, config.metadata().minUnigramCount(),
                    config.metadata().minBigramCount()), file);
        }
        int n = Metadata.read(file).size();
        say("metadata: %d entries from the pool's captions", n);
        return n;
    }

    private RunResult filter(PoolState pool, StopRequest runStop) throws IOException {
        if (config.arms().stream().noneMatch(ArmConfig::usesFilter)) {
            return null;
        }
        Checks.checkArgument(pool.cleanShards != null, "an arm uses ${filter} but the clean set "
                + "is empty: give a pool source a heldOut share > 0");
        long steps = config.filter().steps() != null ? config.filter().steps()
                : config.recipe().steps();
        long seed = config.filter().seed() != null ? config.filter().seed() : config.seed();
        say("filter network: %d steps on the clean set (%d pairs)", steps, pool.cleanPairs);
        return train("filter", pool.cleanShards, pool.cleanPairs, steps, seed,
                out.resolve("filter"), runStop);
    }

    private ArmCuration curate(ArmConfig arm, PoolState pool) throws IOException {
        Path armDir = out.resolve("arms").resolve(arm.name());
        Path marker = armDir.resolve("curation.json");
        if (Files.isRegularFile(marker)) {
            ArmCuration c = Json.read(marker, ArmCuration.class);
            say("arm %s: %d of %d pairs kept (done before)", arm.name(), c.pairsKept(), c.pairsIn());
            return c;
        }
        long t0 = System.nanoTime();
        Path dir = armDir.resolve("curation");
        FileTrees.delete(dir);
        Files.createDirectories(armDir);
        String steps = null;
        String shards;
        List<StepSpeed> speeds = new ArrayList<>();
        switch (arm.kind()) {
            case RAW -> shards = pool.shards;
            case CURATE -> {
                steps = arm.steps().replace(ArmConfig.METADATA, work.resolve("metadata.txt")
                        .toString()).replace(ArmConfig.FILTER, out.resolve("filter")
                        .resolve("model").toString());
                CurationConfig cc = CurationConfig.of(StepSyntax.parse(steps))
                        .withThreads(config.threads())
                        .withSamplesPerShard(config.pool().shardSize());
                say("arm %s: curate --steps %s", arm.name(), steps);
                CurationSummary s = new CurationPipeline(cc, jobLog("curation of " + arm.name()))
                        .run(pool.shards, dir);
                for (StepSummary st : s.steps()) {
                    speeds.add(new StepSpeed(st.step(), st.pairsIn(), st.pairsOut(), st.seconds(),
                            st.seconds() > 0 ? st.pairsIn() / st.seconds() : null));
                }
                Checks.checkArgument(s.pairsOut() > 0, "arm %s kept no pair of the pool: loosen "
                        + "its steps", arm.name());
                shards = PoolFiles.pattern(dir.resolve(CurationPipeline.SHARDS), s.shards());
            }
            default -> shards = oracle(arm, pool, dir);
        }
        Set<String> kept = kept(arm, pool);
        RemovalMetrics removal = RemovalMetrics.of(pool.manifest, kept::contains);
        ConceptBalance balance = ConceptBalance.of(pool.manifest, kept::contains,
                config.noise().headConcepts());
        ArmCuration c = new ArmCuration(arm.name(), arm.kind(), steps, pool.manifest.size(),
                kept.size(), shards, speeds, removal, balance, (System.nanoTime() - t0) / 1e9);
        AtomicFiles.write(marker, Json.write(c).getBytes(StandardCharsets.UTF_8));
        say("arm %s: %d of %d pairs kept (%.1f epochs per run); removed: precision %s, recall %s",
                arm.name(), c.pairsKept(), c.pairsIn(), (double) config.recipe().steps()
                * config.recipe().globalBatch() / c.pairsKept(), percent(removal.precision()),
                percent(removal.recall()));
        return c;
    }

    /** Writes the oracle's shards and decisions (the pool minus its defects, in pool order). */
    private String oracle(ArmConfig arm, PoolState pool, Path dir) throws IOException {
        Map<String, ManifestEntry> byKey = new LinkedHashMap<>();
        pool.manifest.forEach(e -> byKey.put(e.key(), e));
        List<Map<String, Object>> decisions = new ArrayList<>();
        String shards;
        try (ShardWriter w = new ShardWriter(dir.resolve(CurationPipeline.SHARDS),
                config.pool().shardSize());
                ShardReader r = ShardReader.open(ShardReaderOptions.of(pool.shards), 0)) {
            while (r.hasNext()) {
                Sample s = r.next();
                ManifestEntry e = byKey.get(s.key());
                Checks.checkState(e != null, "pool key %s is not in the manifest", s.key());
                boolean keep = !e.defect().injected()
                        && !(arm.dropNearDuplicates() && e.nearDuplicate());
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("key", s.key());
                d.put("kept", keep);
                d.put("reason", keep ? "kept" : e.defect().injected() ? e.defect().label()
                        : "near_duplicate");
                decisions.add(d);
                if (keep) {
                    byte[] json = s.members().get("json");
                    w.write(s.key(), s.imageExtension(), s.image(), s.caption(),
                            json == null ? null : new String(json, StandardCharsets.UTF_8));
                }
            }
            w.close();
            shards = PoolFiles.pattern(dir.resolve(CurationPipeline.SHARDS), w.shards().size());
        }
        JsonLines.write(dir.resolve(CurationPipeline.DECISIONS), decisions);
        return shards;
    }

    /** The keys an arm kept: every pool key for RAW, else those its decisions mark kept. */
    private Set<String> kept(ArmConfig arm, PoolState pool) throws IOException {
        Set<String> kept = new HashSet<>();
        if (arm.kind() == ArmKind.RAW) {
            pool.manifest.forEach(e -> kept.add(e.key()));
            return kept;
        }
        for (JsonNode d : decisions(arm)) {
            if (d.path("kept").asBoolean(false)) {
                kept.add(d.path("key").asText());
            }
        }
        return kept;
    }

    private List<JsonNode> decisions(ArmConfig arm) throws IOException {
        return decisions(out, arm.name());
    }

    /** The decision lines of an arm's curation in {@code out/arms/ARM/curation/}. */
    static List<JsonNode> decisions(Path out, String arm) throws IOException {
        Path file = out.resolve("arms").resolve(arm).resolve("curation")
                .resolve(CurationPipeline.DECISIONS);
        List<JsonNode> lines = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    lines.add(Json.mapper().readTree(line));
                }
            }
        }
        return lines;
    }

    /** One arm's run for one seed: trained (or resumed, or read back), then evaluated. */
    private SeedRun trainAndEvaluate(ArmConfig arm, ArmCuration cur, long seed,
            EvalSetSummary evalSet, StopRequest runStop, RunCounter counter) throws IOException {
        Path dir = out.resolve("arms").resolve(arm.name()).resolve("seed-" + seed);
        boolean fresh = !Files.isRegularFile(dir.resolve("run.json"));
        RunResult run = train(arm.name(), cur.shards(), cur.pairsKept(), config.recipe().steps(),
                seed, dir, runStop);
        if (runStop.isRequested()) {                     // between the run and its evaluation
            throw new TrainingStoppedException(0, null, runStop.reason(),
                    "run the same command again to resume the experiment");
        }
        EvalResult eval = evaluate(dir, evalSet);
        say("run %s: %s seed %d: zero-shot top-1 %.1f%%, top-5 %.1f%% (chance %.1f%%)%s",
                counter.finished(fresh, run.seconds()), arm.name(), seed, 100 * eval.all().top1(),
                100 * eval.all().top5(), 100 * evalSet.chanceTop1(), counter.left());
        return new SeedRun(seed, run, eval);
    }

    /** Runs finished so far and the time left, over every thread. */
    private static final class RunCounter {
        private final int total;
        private final int parallel;
        private int done;
        private int timed;
        private double secondsSoFar;

        RunCounter(int total, int parallel) {
            this.total = total;
            this.parallel = parallel;
        }

        /** Counts a finished run; {@code "k/total"}. */
        synchronized String finished(boolean fresh, double seconds) {
            done++;
            if (fresh) {
                secondsSoFar += seconds;
                timed++;
            }
            return done + "/" + total;
        }

        /** The estimate of the training left, from the runs trained in this process. */
        synchronized String left() {
            if (timed == 0) {
                return "";
            }
            return String.format(Locale.ROOT, "; about %.0f min of training left%s",
                    secondsSoFar / timed * (total - done) / parallel / 60,
                    parallel == 1 ? "" : " (" + parallel + " runs at a time)");
        }
    }

    /**
     * Where a job's own progress goes: the log itself when jobs run one at a time (a training
     * run's progress bar redraws in place on a terminal), else a line at a time, each prefixed
     * with the job's name, so that runs side by side stay readable (progress printers end every
     * line they print off a terminal, so nothing is held back and there is nothing to close).
     */
    private PrintStream jobLog(String name) {
        return config.parallelRuns() == 1 ? log : PrefixedLines.of(log, "  " + name + ": ");
    }

    private RunResult train(String name, String shards, long pairs, long steps, long seed,
            Path dir, StopRequest runStop) throws IOException {
        Path marker = dir.resolve("run.json");
        if (Files.isRegularFile(marker)) {
            return Json.read(marker, RunResult.class);
        }
        Path pool = work.resolve("pool").resolve("tokenizer.json");
        TrainConfig cfg = config.recipe().trainConfig(steps, shards, pool.toString(), seed,
                config.threadsPerRun(), pairs);
        boolean resume = hasCheckpoint(dir.resolve("checkpoints"));
        if (!resume) {
            FileTrees.delete(dir);
        }
        say("training %s seed %d: %d steps x %d on %d pairs%s", name, seed, steps,
                cfg.globalBatch(), pairs, resume ? " (resuming)" : "");
        long t0 = System.nanoTime();
        ImageTextSource source = DataSources.open(cfg);
        RunResult result;
        try (Trainer trainer = Trainer.open(cfg, source, dir, resume)) {
            long startStep = trainer.step();
            TrainResult r;
            try {
                r = trainer.stopWhen(runStop).run(jobLog(name.equals("filter") ? name
                        : name + " seed " + seed));
            } catch (TrainingStoppedException e) {
                throw new TrainingStoppedException(e.step(), e.checkpoint(), runStop.reason(),
                        "run the same command again to resume the experiment (" + name + " seed "
                                + seed + " continues from this checkpoint)");
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long samples = r.steps() * cfg.globalBatch();
            result = new RunResult(name, seed, r.steps(), cfg.globalBatch(), samples,
                    source.position(), pairs, samples / (double) pairs, r.finalLoss(), seconds,
                    (r.steps() - startStep) * cfg.globalBatch() / Math.max(seconds, 1e-9),
                    r.modelDir().toString());
        }
        AtomicFiles.write(marker, Json.write(result).getBytes(StandardCharsets.UTF_8));
        FileTrees.delete(dir.resolve("checkpoints"));     // only a resume needs them; model/ stays
        say("trained %s seed %d in %.0f s (%.0f samples/s), final loss %.3f", name, seed,
                result.seconds(), result.samplesPerSecond(), result.finalLoss());
        return result;
    }

    private EvalResult evaluate(Path runDir, EvalSetSummary evalSet) throws IOException {
        Path marker = runDir.resolve("eval.json");
        if (Files.isRegularFile(marker)) {
            return Json.read(marker, EvalResult.class);
        }
        Set<String> head = new HashSet<>();
        evalSet.classes().forEach(c -> {
            if (c.head()) {
                head.add(c.folder());
            }
        });
        EvalResult r = ArmEvaluator.evaluate(runDir.resolve("model"), Path.of(evalSet.zeroShot()),
                head, evalSet.templates(), evalSet.retrieval(), config.eval().batchSize());
        AtomicFiles.write(marker, Json.write(r).getBytes(StandardCharsets.UTF_8));
        return r;
    }

    /** Between stages: stops if asked to (nothing is in progress, nothing is lost). */
    private void stopIfRequested() {
        if (stop.isRequested()) {
            throw new TrainingStoppedException(0, null, stop.reason(),
                    "run the same command again to resume the experiment");
        }
    }

    // ---- report ----

    private static Double[] values(Map<Long, SeedRun> runs, String metric) {
        Double[] v = new Double[runs.size()];
        int i = 0;
        for (SeedRun r : runs.values()) {
            EvalResult e = r.eval();
            Double x = switch (metric) {
                case "zeroShotTop1" -> e.all().top1();
                case "zeroShotTop5" -> e.all().top5();
                case "headTop1" -> e.head().top1();
                case "tailTop1" -> e.tail().top1();
                case "headTop5" -> e.head().top5();
                case "tailTop5" -> e.tail().top5();
                case "imageToTextR1" -> e.imageToTextR1();
                case "imageToTextR5" -> e.imageToTextR5();
                case "textToImageR1" -> e.textToImageR1();
                case "textToImageR5" -> e.textToImageR5();
                case "meanRecallAt1" -> e.meanRecallAt1();
                default -> throw new IllegalArgumentException("unknown metric " + metric);
            };
            if (x == null) {
                return null;
            }
            v[i++] = x;
        }
        return v;
    }

    private static double[] unbox(Double[] v) {
        double[] x = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            x[i] = v[i];
        }
        return x;
    }

    // ---- helpers ----

    private static int shardCount(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.filter(p -> p.getFileName().toString().endsWith(".tar")).count();
        }
    }

    private static boolean hasCheckpoint(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isPresent();
        }
    }

    private static String percent(Double x) {
        return x == null ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * x);
    }

    private void say(String format, Object... args) {
        log.println("experiment: " + String.format(Locale.ROOT, format, args));
        log.flush();
    }
}
