package dev.align.experiments.curation;

import dev.align.core.Checks;
import dev.align.core.json.Json;
import dev.align.core.json.JsonOptional;
import dev.align.experiments.pool.NoiseConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The whole curation experiment, as strict JSON (unknown keys rejected with the key named).
 * {@link #full()} is the default experiment, {@link #quick()} the same path at a size that runs in
 * a few minutes; {@code ./align experiment curation --print-config} prints either to start from.
 *
 * @param schemaVersion must be {@value #SCHEMA_VERSION}
 * @param seed fixes the pool (sources, noise, order, clean set) and the evaluation classes
 * @param trainSeeds the training seeds every arm is trained with (at least 3 for statistics
 *     worth reading; 2 give an interval, 1 none)
 * @param threads cores the experiment may use: curation threads, and libtorch threads shared by
 *     the runs that train at once; default all cores
 * @param parallelRuns training runs (an arm's seed, or the filter network) trained and
 *     evaluated at once, each with {@link #threadsPerRun()} libtorch threads; default the cores,
 *     at most {@code threads}. A run's steps spend much of their time in per-operation overhead
 *     on one thread, so two 1-thread runs side by side do more work on 2 cores than one 2-thread
 *     run. A run's result is the same at any value with the same {@code threadsPerRun}; a
 *     folder may resume with another value
 * @param pool the pool's real sources
 * @param noise what is injected into the pool
 * @param eval the evaluation set
 * @param metadata the MetaCLIP metadata built from the pool
 * @param recipe the training recipe of every run
 * @param filter DFN's filter network
 * @param arms the arms, exactly one of them {@code RAW} (the baseline)
 */
public record CurationExperimentConfig(int schemaVersion, long seed, List<Long> trainSeeds,
        @JsonOptional Integer threads, @JsonOptional Integer parallelRuns, PoolConfig pool,
        @JsonOptional NoiseConfig noise, @JsonOptional EvalConfig eval,
        @JsonOptional MetadataConfig metadata,
        @JsonOptional Recipe recipe, @JsonOptional FilterConfig filter, List<ArmConfig> arms) {

    /** The schema version this code reads. */
    public static final int SCHEMA_VERSION = 1;

    /**
     * ALIGN's rules as they apply to small drawings: no size rule (every icon is under ALIGN's
     * 200 px), aspect ratio at most 3, an alt-text shared by more than 10 images dropped, at
     * least one word (ALIGN's three would drop clean one- and two-word labels such as "dog" or
     * "fox face"), at most 20, and a caption dropped only when all its unigrams and bigrams are
     * rare (seen once in the pool: unique file names), since with ALIGN's "any" a single rare tag
     * drops a clean caption in a pool this small.
     */
    public static final String ALIGN_STEP = "align-rules:minShorterSide=0,maxAspectRatio=3,"
            + "maxImagesPerCaption=10,minWords=1,maxWords=20,rareTokenMode=ALL,rareTokenMinCount=2";

    /** Applies defaults and checks the arms. */
    public CurationExperimentConfig {
        Checks.checkArgument(schemaVersion == SCHEMA_VERSION, "schemaVersion must be %s, got %s",
                SCHEMA_VERSION, schemaVersion);
        Checks.checkArgument(trainSeeds != null && !trainSeeds.isEmpty(), "trainSeeds must name "
                + "at least one seed (3 or more for statistics)");
        trainSeeds = List.copyOf(trainSeeds);
        Checks.checkArgument(new HashSet<>(trainSeeds).size() == trainSeeds.size(),
                "trainSeeds repeats a seed: %s", trainSeeds);
        threads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        Checks.checkArgument(threads >= 1, "threads must be >= 1, got %s", threads);
        parallelRuns = parallelRuns == null
                ? Math.min(Runtime.getRuntime().availableProcessors(), threads) : parallelRuns;
        Checks.checkArgument(parallelRuns >= 1 && parallelRuns <= threads, "parallelRuns must be "
                + "between 1 and threads (%s), got %s: each run needs at least one of the threads",
                threads, parallelRuns);
        Checks.checkArgument(pool != null, "pool is required");
        noise = noise == null ? NoiseConfig.defaults() : noise;
        eval = eval == null ? EvalConfig.defaults() : eval;
        metadata = metadata == null ? MetadataConfig.defaults() : metadata;
        recipe = recipe == null ? Recipe.defaults() : recipe;
        filter = filter == null ? FilterConfig.defaults() : filter;
        Checks.checkArgument(arms != null && !arms.isEmpty(), "arms must name at least the RAW arm");
        arms = List.copyOf(arms);
        Set<String> names = new HashSet<>();
        int raw = 0;
        for (ArmConfig a : arms) {
            Checks.checkArgument(a != null && names.add(a.name()), "arm %s appears twice",
                    a == null ? null : a.name());
            raw += a.kind() == ArmKind.RAW ? 1 : 0;
        }
        Checks.checkArgument(raw == 1, "exactly one arm must be RAW (the baseline the others are "
                + "compared with), got %s", raw);
    }

    /**
     * The default experiment: about 50 minutes of training on 2 quiet cores with two runs at a
     * time, 66 one at a time (see the printed plan).
     */
    public static CurationExperimentConfig full() {
        return new CurationExperimentConfig(SCHEMA_VERSION, 0, List.of(0L, 1L, 2L), null, null,
                new PoolConfig(List.of(new SourceConfig("emoji", 0L, 0.15),
                        new SourceConfig("mdi", 2000L, 0.15),
                        new SourceConfig("openclipart", 2000L, 0.0)), null, null),
                NoiseConfig.defaults(), EvalConfig.defaults(), MetadataConfig.defaults(),
                Recipe.defaults(), FilterConfig.defaults(), arms(5, 0.5, 0.7));
    }

    /**
     * The same path, small: two sources and about a thousand pairs, 2 seeds, 32 steps of 64 (the
     * filter 24), 40 evaluation classes (chance 2.5% top-1, 12.5% top-5) from the first 1,500
     * OpenMoji drawings.
     */
    public static CurationExperimentConfig quick() {
        Recipe recipe = new Recipe(null, null, 32L, 64, null, null, null, null, null, null, null,
                null);
        return new CurationExperimentConfig(SCHEMA_VERSION, 0, List.of(0L, 1L), null, null,
                new PoolConfig(List.of(new SourceConfig("emoji", 1000L, 0.15),
                        new SourceConfig("mdi", 200L, 0.15)), null, null),
                NoiseConfig.defaults(), new EvalConfig(40, null, null, 1500L, null),
                MetadataConfig.defaults(), recipe, new FilterConfig(24L, null), arms(5, 0.5, 0.7));
    }

    /**
     * The six arms: raw, ALIGN, MetaCLIP, DFN, the hybrid of the three, the oracle.
     *
     * @param t MetaCLIP's threshold. MetaCLIP's 20,000 suits 400M pairs and 500k entries; here it
     *     must sit between the counts of a tail concept's own entries (its two drawings and a few
     *     mismatched copies: 2 to 4) and a head concept's (about 40), so tail pairs are kept and
     *     head pairs subsampled: 5
     * @param dfnTop share DFN keeps alone: 0.5 (DFN keeps 15% of web pools, which are mostly
     *     noise; here 45% of the pool is defective)
     * @param hybridTop share DFN keeps in the hybrid, of what ALIGN's rules and MetaCLIP left
     */
    static List<ArmConfig> arms(long t, double dfnTop, double hybridTop) {
        String metaclip = "metaclip:metadata=" + ArmConfig.METADATA + ",t=" + t + ",seed=0";
        return List.of(ArmConfig.raw("raw"),
                ArmConfig.curate("align", ALIGN_STEP),
                ArmConfig.curate("metaclip", metaclip),
                ArmConfig.curate("dfn", "dfn:model=" + ArmConfig.FILTER + ",top=" + dfnTop),
                ArmConfig.curate("hybrid", ALIGN_STEP + "," + metaclip + ",dfn:model="
                        + ArmConfig.FILTER + ",top=" + hybridTop),
                ArmConfig.oracle("oracle"));
    }

    /** Reads strict JSON. */
    public static CurationExperimentConfig fromJson(Path file) throws IOException {
        return Json.read(file, CurationExperimentConfig.class);
    }

    /** Parses strict JSON text. */
    public static CurationExperimentConfig fromJson(String json, String source) {
        return Json.parse(json, CurationExperimentConfig.class, source);
    }

    /** This config as indented JSON, every default filled in. */
    public String toJson() {
        return Json.write(this);
    }

    /**
     * libtorch's intra-op threads for each run: {@code threads / parallelRuns}, rounded down.
     * libtorch reads its thread count once, when its engine loads, for the whole process:
     * {@code ./align experiment} sets {@code -Dai.djl.pytorch.num_threads} to this; a program
     * that runs the experiment itself should do the same before it touches the engine.
     */
    public int threadsPerRun() {
        return threads / parallelRuns;
    }

    /** The RAW arm. */
    public ArmConfig rawArm() {
        return arms.stream().filter(a -> a.kind() == ArmKind.RAW).findFirst().orElseThrow();
    }
}
