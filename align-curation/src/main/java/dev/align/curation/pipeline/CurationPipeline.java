package dev.align.curation.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import dev.align.core.Checks;
import dev.align.core.io.AtomicFiles;
import dev.align.core.io.FileErrors;
import dev.align.core.io.FileTrees;
import dev.align.core.json.Json;
import dev.align.curation.dfn.DfnScorer;
import dev.align.curation.dfn.DfnSelection;
import dev.align.curation.dfn.ScoredPair;
import dev.align.curation.metaclip.BalanceDecision;
import dev.align.curation.metaclip.EntryCounts;
import dev.align.curation.metaclip.MetaClipBalancer;
import dev.align.curation.metaclip.Metadata;
import dev.align.curation.metaclip.MetadataMatcher;
import dev.align.curation.metaclip.PairIds;
import dev.align.curation.rules.AlignRules;
import dev.align.curation.rules.ImageFacts;
import dev.align.curation.rules.RuleHit;
import dev.align.curation.worldwide.LanguageReport;
import dev.align.curation.worldwide.WorldwideCuration;
import dev.align.curation.worldwide.WorldwideDecision;
import dev.align.curation.worldwide.WorldwideMatcher;
import dev.align.curation.worldwide.WorldwideMetadata;
import dev.align.data.image.ImageDecodeException;
import dev.align.data.image.ImageDecoder;
import dev.align.data.image.ImageSize;
import dev.align.data.shards.Sample;
import dev.align.data.shards.ShardReader;
import dev.align.data.shards.ShardReaderOptions;
import dev.align.data.shards.ShardWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Curates a pool of WebDataset shards through a chain of steps and explains every decision.
 *
 * <p><b>Passes.</b> A first pass reads the pool in shard order (deterministic for any number of
 * reader threads) and keeps, per valid pair, its key, shard, caption and, when an
 * {@code align-rules} step needs them, its image size (from the header) and content hash. Samples
 * the data pipeline would skip (missing or empty caption, invalid UTF-8, corrupt image header,
 * decompression bomb, truncated shard, ...) are skipped and counted by the same reasons, as is a
 * key seen earlier in the pool ({@code duplicate_key}). The steps then run in order, each on the
 * pairs the earlier ones kept, each counting over exactly those pairs: {@code align-rules} and
 * {@code metaclip} work on the kept facts in memory; {@code dfn} reads the pool again for the
 * images of the pairs still alive and decodes them fully (an image corrupt behind a valid header is
 * dropped there as {@code corrupt_image}). A last pass writes the kept samples (image, caption and
 * {@code .json} member, bytes unchanged) into {@code OUT/shards/} with {@link ShardWriter}.
 * Memory: the kept facts are about 150 bytes per pair plus the caption; pools beyond a few tens of
 * millions of pairs belong on Spark.
 *
 * <p><b>Outputs</b>, each written atomically: {@code OUT/shards/{00000..}.tar} (+ {@code sizes.json},
 * {@code stats.json}); {@code OUT/decisions.jsonl}, one JSON line per valid pair in pool order:
 * <pre>{@code
 * {"key":"000000017","shard":"pool/00000.tar","kept":false,"droppedBy":"metaclip",
 *  "reason":"sampled_out","ruleHits":[],"entries":[12,873],"keepProbability":0.25,
 *  "keptByEntry":-1,"score":null}
 * }</pre>
 * ({@code droppedBy} is the first step that dropped the pair, {@code null} when kept;
 * {@code reason} is {@code kept} or that step's reason; {@code ruleHits} every ALIGN rule broken,
 * {@code entries} the matched metadata entry ids, {@code keepProbability} and {@code keptByEntry}
 * MetaCLIP's, {@code score} the DFN cosine: each {@code null} when its step did not see the pair;
 * with a {@code metaclip2} step also {@code lang}, {@code langSource} ({@code identified},
 * {@code recorded} or {@code none}) and {@code t}, the language's threshold, with {@code entries}
 * then ids in that language's list);
 * {@code OUT/summary.json} ({@link CurationSummary}), written last; and, with a {@code metaclip}
 * step, {@code OUT/entry-histogram.png} ({@link EntryHistogramPlot}); with a {@code metaclip2}
 * step, {@code OUT/languages.json} (the English tail share, and per language its pairs, how many
 * were identified by script, matched and kept, and its {@code t}).
 *
 * <p><b>Interruptions.</b> A curation restarts cleanly rather than resuming: it marks its output
 * folder with {@value #INCOMPLETE} before writing anything and removes the mark after
 * {@code summary.json}, so a folder is complete exactly when it has {@code summary.json} and no
 * mark. A run that was killed, stopped by SIGTERM or failed to write (a full disk, a folder that
 * became read-only) leaves the mark, whole shards (each is renamed into place complete) and no
 * summary; running the same command again removes what the interrupted run wrote and starts over,
 * and, being deterministic, writes the same files a run that never stopped would have.
 *
 * <p><b>Determinism.</b> Every decision depends on the pool's content and the config only: not on
 * thread counts, timing or the order of work (MetaCLIP's coins hash the seed, the key's
 * {@link PairIds} and the entry; DFN ties break by key; ALIGN's counts are order-free).
 */
public final class CurationPipeline {

    /** Name of the decisions file in the output folder. */
    public static final String DECISIONS = "decisions.jsonl";
    /** Name of the summary file in the output folder. */
    public static final String SUMMARY = "summary.json";
    /** Name of the MetaCLIP entry histogram in the output folder. */
    public static final String HISTOGRAM = "entry-histogram.png";
    /** Name of the per-language report of a {@code metaclip2} step in the output folder. */
    public static final String LANGUAGES = "languages.json";
    /** Name of the folder of curated shards in the output folder. */
    public static final String SHARDS = "shards";
    /** Marks an output folder whose curation has not finished (see the class comment). */
    public static final String INCOMPLETE = ".curate-incomplete";

    private static final Logger LOG = LoggerFactory.getLogger(CurationPipeline.class);

    private final CurationConfig config;
    private final PrintStream log;

    /**
     * @param config the steps and settings
     * @param log where progress lines go (for example {@code System.err})
     */
    public CurationPipeline(CurationConfig config, PrintStream log) {
        Checks.checkArgument(config != null && log != null, "config and log must not be null");
        this.config = config;
        this.log = log;
    }

    /**
     * Curates a pool.
     *
     * @param pool shard pattern with brace ranges ({@code pool/{00000..00099}.tar})
     * @param out output folder: must not exist, be empty, or hold an interrupted curation (which
     *     is removed and started over)
     * @return the summary, also written to {@code OUT/summary.json}
     * @throws IOException if the outputs cannot be written or a model or metadata file read
     * @throws IllegalArgumentException if the output folder holds anything else or a setting is
     *     invalid
     */
    public CurationSummary run(String pool, Path out) throws IOException {
        long start = System.nanoTime();
        prepare(out);
        writing(out, INCOMPLETE, () -> AtomicFiles.write(out.resolve(INCOMPLETE),
                ("an unfinished curation of " + pool + ": run the same command again to start over\n")
                        .getBytes(StandardCharsets.UTF_8)));
        ShardReaderOptions options = ShardReaderOptions.of(pool)
                .withReaderThreads(Math.min(config.threads(), 16));
        boolean needImages = config.steps().stream().anyMatch(s -> s.kind() == StepKind.ALIGN_RULES);
        Pool p = readPool(options, needImages);
        log.printf(Locale.ROOT, "curate: %d pairs read from %s, %d skipped %s%n", p.size(), pool,
                p.skipped.values().stream().mapToLong(Long::longValue).sum(), p.skipped);

        List<StepSummary> summaries = new ArrayList<>();
        for (int s = 0; s < config.steps().size(); s++) {
            StepConfig step = config.steps().get(s);
            long t0 = System.nanoTime();
            long in = p.alive();
            Map<String, Long> dropped = switch (step.kind()) {
                case ALIGN_RULES -> alignRules(p, s, step);
                case METACLIP -> metaclip(p, s, step, out);
                case DFN -> dfn(p, s, step, options);
                case METACLIP2 -> metaclip2(p, s, step, out);
            };
            StepSummary summary = new StepSummary(step.kind().label(), in, p.alive(), dropped,
                    (System.nanoTime() - t0) / 1e9);
            summaries.add(summary);
            log.printf(Locale.ROOT, "curate: %-11s %d -> %d pairs in %.1f s, dropped %s%n",
                    summary.step(), in, summary.pairsOut(), summary.seconds(), summary.dropped());
        }

        int[] shards = new int[1];
        writing(out, SHARDS, () -> shards[0] = writeShards(p, options, out.resolve(SHARDS)));
        writing(out, DECISIONS, () -> writeDecisions(p, out.resolve(DECISIONS)));
        CurationSummary summary = new CurationSummary(pool, p.size(), p.skipped, summaries,
                p.alive(), shards[0], (System.nanoTime() - start) / 1e9);
        writing(out, SUMMARY, () -> AtomicFiles.write(out.resolve(SUMMARY),
                Json.write(summary).getBytes(StandardCharsets.UTF_8)));
        writing(out, INCOMPLETE, () -> Files.delete(out.resolve(INCOMPLETE)));
        log.printf(Locale.ROOT, "curate: kept %d of %d pairs in %d shards under %s (%.1f s)%n",
                summary.pairsOut(), summary.pairsIn(), shards[0], out, summary.seconds());
        return summary;
    }

    /**
     * Checks that {@code out} can take a curation: absent, empty, or holding an interrupted one,
     * whose files are then removed (the mark last, so an interruption here is still marked).
     */
    private void prepare(Path out) throws IOException {
        if (!Files.exists(out)) {
            Files.createDirectories(out);
            return;
        }
        if (Files.exists(out.resolve(INCOMPLETE))) {
            log.printf("curate: %s holds an interrupted curation (%s); starting over%n", out,
                    INCOMPLETE);
            writing(out, "the interrupted curation's files", () -> {
                try (var listing = Files.list(out)) {
                    for (Path p : listing.toList()) {
                        String name = p.getFileName().toString();
                        boolean ours = name.equals(SHARDS) || name.equals(DECISIONS)
                                || name.equals(SUMMARY) || name.equals(HISTOGRAM)
                                || (name.startsWith(".") && name.endsWith(".tmp"));
                        if (ours) {
                            FileTrees.delete(p);
                        }
                    }
                }
            });
            try (var listing = Files.list(out)) {
                List<String> other = listing.map(p -> p.getFileName().toString())
                        .filter(n -> !n.equals(INCOMPLETE)).sorted().toList();
                Checks.checkArgument(other.isEmpty(), "output folder %s holds an interrupted "
                        + "curation and also %s, which curate did not write: remove them or choose "
                        + "another --out", out, other);
            }
            return;
        }
        try (var listing = Files.list(out)) {
            Checks.checkArgument(listing.findAny().isEmpty(),
                    "output folder %s is not empty: choose another --out", out);
        }
    }

    /** An output write, whose failure is reported with what it means for the folder. */
    private interface OutputWrite {
        void run() throws IOException;
    }

    private static void writing(Path out, String what, OutputWrite write) throws IOException {
        try {
            write.run();
        } catch (IOException e) {
            throw new IOException(String.format("curate: cannot write %s in %s (%s); the folder "
                    + "holds an unfinished curation (no %s): free space or make it writable, then "
                    + "run the same command again, which starts over", what, out,
                    FileErrors.describe(e), SUMMARY), e);
        }
    }

    // ---- the pool and what the steps learn about its pairs ----

    /** Per valid pair, in pool order: its facts and the decisions made so far. */
    private static final class Pool {
        final List<String> keys = new ArrayList<>();
        final List<String> shards = new ArrayList<>();
        final List<String> captions = new ArrayList<>();
        /** The {@code lang} each sample's .json records, or null. */
        final List<String> recorded = new ArrayList<>();
        final List<ImageFacts> images = new ArrayList<>();
        /** Ordinals (in the reader's stream of valid samples) that are pairs, not duplicates. */
        final BitSet accepted = new BitSet();
        final Map<String, Long> skipped = new TreeMap<>();
        int[] droppedAt;          // step index, or -1 while alive
        String[] reason;
        List<List<RuleHit>> ruleHits;
        int[][] entries;
        double[] keepProbability;
        int[] keptByEntry;
        float[] score;
        String[] language;        // metaclip2: the language curated in, its source, its t
        String[] languageSource;
        long[] threshold;

        int size() {
            return keys.size();
        }

        void init() {
            int n = size();
            droppedAt = new int[n];
            Arrays.fill(droppedAt, -1);
            reason = new String[n];
            ruleHits = new ArrayList<>(java.util.Collections.nCopies(n, null));
            entries = new int[n][];
            keepProbability = new double[n];
            Arrays.fill(keepProbability, Double.NaN);
            keptByEntry = new int[n];
            score = new float[n];
            Arrays.fill(score, Float.NaN);
            language = new String[n];
            languageSource = new String[n];
            threshold = new long[n];
        }

        long alive() {
            long a = 0;
            for (int d : droppedAt) {
                a += d < 0 ? 1 : 0;
            }
            return a;
        }

        int[] aliveIndices() {
            int[] idx = new int[(int) alive()];
            int k = 0;
            for (int i = 0; i < droppedAt.length; i++) {
                if (droppedAt[i] < 0) {
                    idx[k++] = i;
                }
            }
            return idx;
        }

        void drop(int i, int step, String why, Map<String, Long> dropped) {
            droppedAt[i] = step;
            reason[i] = why;
            dropped.merge(why, 1L, Long::sum);
        }
    }

    private Pool readPool(ShardReaderOptions options, boolean needImages) throws IOException {
        Pool p = new Pool();
        Set<String> seen = new HashSet<>();
        ImageDecoder decoder = new ImageDecoder();
        try (ShardReader reader = ShardReader.open(options, 0)) {
            for (int ordinal = 0; reader.hasNext(); ordinal++) {
                Sample s = reader.next();
                if (!seen.add(s.key())) {
                    p.skipped.merge("duplicate_key", 1L, Long::sum);
                    LOG.warn("skipped duplicate_key: shard {}, key '{}' was seen earlier",
                            s.shard(), s.key());
                    continue;
                }
                p.accepted.set(ordinal);
                p.keys.add(s.key());
                p.shards.add(s.shard());
                p.captions.add(s.caption());
                p.recorded.add(WorldwideCuration.recordedLanguage(s.members().get("json")));
                if (needImages) {
                    ImageSize size;
                    try {
                        size = decoder.readSize(s.image());
                    } catch (ImageDecodeException e) { // the reader checked this header already
                        throw new IllegalStateException("image of " + s.key() + " became unreadable", e);
                    }
                    p.images.add(ImageFacts.of(s.image(), size.width(), size.height()));
                }
            }
            reader.skipped().forEach((k, v) -> p.skipped.merge(k, v, Long::sum));
        }
        p.init();
        return p;
    }

    /** Visits every pair of the pool again, in the same order, with its sample. */
    private interface PairVisitor {
        void visit(int index, Sample sample) throws IOException;
    }

    private static void reread(Pool p, ShardReaderOptions options, PairVisitor visitor)
            throws IOException {
        int index = 0;
        try (ShardReader reader = ShardReader.open(options, 0)) {
            for (int ordinal = 0; reader.hasNext(); ordinal++) {
                Sample s = reader.next();
                if (!p.accepted.get(ordinal)) {
                    continue;
                }
                Checks.checkState(index < p.size() && s.key().equals(p.keys.get(index)),
                        "the pool changed during curation: expected key '%s' at pair %s, read '%s'",
                        index < p.size() ? p.keys.get(index) : "(end)", index, s.key());
                visitor.visit(index++, s);
            }
        }
        Checks.checkState(index == p.size(), "the pool changed during curation: %s pairs on the "
                + "first pass, %s now", p.size(), index);
    }

    // ---- steps ----

    private Map<String, Long> alignRules(Pool p, int step, StepConfig cfg) {
        AlignRules rules = new AlignRules(cfg.alignRules());
        int[] alive = p.aliveIndices();
        List<String> captions = new ArrayList<>(alive.length);
        List<ImageFacts> images = new ArrayList<>(alive.length);
        for (int i : alive) {
            captions.add(p.captions.get(i));
            images.add(p.images.get(i));
        }
        AlignRules.Counts counts = rules.count(captions, images);
        Map<String, Long> dropped = new TreeMap<>();
        for (int i : alive) {
            List<RuleHit> hits = List.copyOf(counts.hits(p.captions.get(i), p.images.get(i)));
            p.ruleHits.set(i, hits);
            if (!hits.isEmpty()) {
                p.drop(i, step, hits.get(0).label(), dropped);
            }
        }
        return dropped;
    }

    private Map<String, Long> metaclip(Pool p, int step, StepConfig cfg, Path out)
            throws IOException {
        MetaClipStepConfig mc = cfg.metaclip();
        List<String> metadata = Metadata.read(Path.of(mc.metadata()));
        MetadataMatcher matcher = MetadataMatcher.build(metadata);
        int[] alive = p.aliveIndices();
        List<String> captions = new ArrayList<>(alive.length);
        long[] ids = new long[alive.length];
        for (int k = 0; k < alive.length; k++) {
            captions.add(p.captions.get(alive[k]));
            ids[k] = PairIds.of(p.keys.get(alive[k]));
        }
        List<int[]> matches = matcher.matchAll(captions, config.threads());
        EntryCounts counts = EntryCounts.count(matcher.numEntries(), matches);
        MetaClipBalancer balancer = new MetaClipBalancer(counts, mc.t(), mc.seed());
        List<BalanceDecision> decisions = balancer.decideAll(ids, matches, config.threads());
        Map<String, Long> dropped = new TreeMap<>();
        List<int[]> keptMatches = new ArrayList<>();
        for (int k = 0; k < alive.length; k++) {
            int i = alive[k];
            BalanceDecision d = decisions.get(k);
            p.entries[i] = matches.get(k);
            p.keepProbability[i] = d.keepProbability();
            p.keptByEntry[i] = d.keptByEntry();
            if (d.kept()) {
                keptMatches.add(matches.get(k));
            } else {
                p.drop(i, step, d.reason().label(), dropped);
            }
        }
        writing(out, HISTOGRAM, () -> EntryHistogramPlot.write(counts.toArray(),
                EntryCounts.count(matcher.numEntries(), keptMatches).toArray(), mc.t(),
                out.resolve(HISTOGRAM)));
        return dropped;
    }

    private Map<String, Long> metaclip2(Pool p, int step, StepConfig cfg, Path out)
            throws IOException {
        var mc = cfg.metaclip2();
        WorldwideMatcher matcher = WorldwideMatcher.build(
                WorldwideMetadata.read(Path.of(mc.metadata())));
        int[] alive = p.aliveIndices();
        List<String> captions = new ArrayList<>(alive.length);
        List<String> recorded = new ArrayList<>(alive.length);
        long[] ids = new long[alive.length];
        for (int k = 0; k < alive.length; k++) {
            captions.add(p.captions.get(alive[k]));
            recorded.add(p.recorded.get(alive[k]));
            ids[k] = PairIds.of(p.keys.get(alive[k]));
        }
        WorldwideCuration.Result r = WorldwideCuration.curate(captions, recorded, ids, matcher,
                mc.t(), mc.seed());
        Map<String, Long> dropped = new TreeMap<>();
        List<LanguageReport.Line> lines = new ArrayList<>(alive.length);
        for (int k = 0; k < alive.length; k++) {
            int i = alive[k];
            WorldwideDecision d = r.decisions().get(k);
            p.entries[i] = r.matches().get(k);
            p.keepProbability[i] = d.decision().keepProbability();
            p.keptByEntry[i] = d.decision().keptByEntry();
            p.language[i] = d.language();
            p.languageSource[i] = d.languageSource().label();
            p.threshold[i] = d.threshold();
            lines.add(LanguageReport.Line.of(d, r.matches().get(k).length));
            if (!d.decision().kept()) {
                p.drop(i, step, d.decision().reason().label(), dropped);
            }
        }
        AtomicFiles.write(out.resolve(LANGUAGES), Json.write(LanguageReport.of(mc.t(),
                r.balancer().tailShare(), lines)).getBytes(StandardCharsets.UTF_8));
        log.printf(Locale.ROOT, "curate: metaclip2 English t=%d keeps tail share p=%.4f; t per "
                + "language %s%n", mc.t(), r.balancer().tailShare(), r.balancer().thresholds());
        return dropped;
    }

    private Map<String, Long> dfn(Pool p, int step, StepConfig cfg, ShardReaderOptions options)
            throws IOException {
        DfnStepConfig dc = cfg.dfn();
        Map<String, Long> dropped = new TreeMap<>();
        boolean[] alive = new boolean[p.size()];
        for (int i : p.aliveIndices()) {
            alive[i] = true;
        }
        try (DfnScorer scorer = DfnScorer.load(Path.of(dc.model()), dc.batchSize())) {
            int chunk = dc.batchSize() * 8;
            List<Integer> index = new ArrayList<>(chunk);
            List<byte[]> images = new ArrayList<>(chunk);
            List<String> captions = new ArrayList<>(chunk);
            Runnable flush = () -> {
                float[] scores = scorer.score(images, captions);
                for (int k = 0; k < scores.length; k++) {
                    p.score[index.get(k)] = scores[k];
                }
                index.clear();
                images.clear();
                captions.clear();
            };
            reread(p, options, (i, sample) -> {
                if (alive[i]) {
                    index.add(i);
                    images.add(sample.image());
                    captions.add(p.captions.get(i));
                    if (index.size() == chunk) {
                        flush.run();
                    }
                }
            });
            flush.run();
        }
        List<ScoredPair> scored = new ArrayList<>();
        List<Integer> scoredIndex = new ArrayList<>();
        for (int i = 0; i < p.size(); i++) {
            if (!alive[i]) {
                continue;
            }
            if (Float.isNaN(p.score[i])) {
                p.drop(i, step, "corrupt_image", dropped);
            } else {
                scored.add(new ScoredPair(p.keys.get(i), p.score[i]));
                scoredIndex.add(i);
            }
        }
        boolean[] kept = dc.top() != null ? DfnSelection.selectTop(scored, dc.top())
                : DfnSelection.selectAtLeast(scored, dc.threshold());
        String why = dc.top() != null ? "below_top" : "below_threshold";
        for (int k = 0; k < kept.length; k++) {
            if (!kept[k]) {
                p.drop(scoredIndex.get(k), step, why, dropped);
            }
        }
        return dropped;
    }

    // ---- outputs ----

    private int writeShards(Pool p, ShardReaderOptions options, Path dir) throws IOException {
        try (ShardWriter writer = new ShardWriter(dir, config.samplesPerShard())) {
            reread(p, options, (i, s) -> {
                if (p.droppedAt[i] < 0) {
                    byte[] json = s.members().get("json");
                    writer.write(s.key(), s.imageExtension(), s.image(), p.captions.get(i),
                            json == null ? null : new String(json, StandardCharsets.UTF_8));
                }
            });
            writer.close();
            return writer.shards().size();
        }
    }

    private void writeDecisions(Pool p, Path file) throws IOException {
        boolean worldwide = config.steps().stream().anyMatch(s -> s.kind() == StepKind.METACLIP2);
        AtomicFiles.write(file, out -> {
            JsonGenerator g = Json.mapper().getFactory().createGenerator(out);
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setPrettyPrinter(new MinimalPrettyPrinter(""));
            for (int i = 0; i < p.size(); i++) {
                g.writeStartObject();
                g.writeStringField("key", p.keys.get(i));
                g.writeStringField("shard", p.shards.get(i));
                boolean kept = p.droppedAt[i] < 0;
                g.writeBooleanField("kept", kept);
                if (kept) {
                    g.writeNullField("droppedBy");
                    g.writeStringField("reason", "kept");
                } else {
                    g.writeStringField("droppedBy", config.steps().get(p.droppedAt[i]).kind().label());
                    g.writeStringField("reason", p.reason[i]);
                }
                List<RuleHit> hits = p.ruleHits.get(i);
                g.writeFieldName("ruleHits");
                if (hits == null) {
                    g.writeNull();
                } else {
                    g.writeStartArray();
                    for (RuleHit h : hits) {
                        g.writeString(h.label());
                    }
                    g.writeEndArray();
                }
                g.writeFieldName("entries");
                if (p.entries[i] == null) {
                    g.writeNull();
                    g.writeNullField("keepProbability");
                    g.writeNullField("keptByEntry");
                } else {
                    g.writeArray(p.entries[i], 0, p.entries[i].length);
                    g.writeNumberField("keepProbability", p.keepProbability[i]);
                    g.writeNumberField("keptByEntry", p.keptByEntry[i]);
                }
                if (Float.isNaN(p.score[i])) {
                    g.writeNullField("score");
                } else {
                    g.writeNumberField("score", p.score[i]);
                }
                if (worldwide) {                   // only with a metaclip2 step: old files as they were
                    g.writeStringField("lang", p.language[i]);
                    g.writeStringField("langSource", p.languageSource[i]);
                    if (p.languageSource[i] == null) {
                        g.writeNullField("t");
                    } else {
                        g.writeNumberField("t", p.threshold[i]);
                    }
                }
                g.writeEndObject();
                g.writeRaw('\n');
            }
            g.flush();
        });
    }
}
