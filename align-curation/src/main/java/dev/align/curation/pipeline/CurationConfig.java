package dev.align.curation.pipeline;

import dev.align.core.Checks;
import dev.align.core.json.Json;
import dev.align.core.json.JsonOptional;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A curation run, as strict JSON ({@code --config steps.json}) or built from the step syntax
 * ({@link StepSyntax}).
 *
 * <pre>{@code
 * {"schemaVersion": 1,
 *  "steps": [{"kind": "ALIGN_RULES", "alignRules": {"maxWords": 30}},
 *            {"kind": "METACLIP", "metaclip": {"metadata": "metadata.txt", "t": 20000, "seed": 0}},
 *            {"kind": "DFN", "dfn": {"model": "runs/filter/model", "top": 0.15}}],
 *  "threads": 2, "samplesPerShard": 10000}
 * }</pre>
 *
 * @param schemaVersion must be {@value #SCHEMA_VERSION}
 * @param steps the steps, in order; each sees only the pairs the earlier ones kept; each kind at
 *     most once
 * @param threads threads for reading shards and for MetaCLIP matching (default: all cores); the
 *     result does not depend on it
 * @param samplesPerShard samples per output shard (default 10,000, as img2dataset)
 */
public record CurationConfig(int schemaVersion, List<StepConfig> steps, @JsonOptional Integer threads,
        @JsonOptional Integer samplesPerShard) {

    /** The schema version this code reads. */
    public static final int SCHEMA_VERSION = 1;

    /** Applies defaults and checks values. */
    public CurationConfig {
        Checks.checkArgument(schemaVersion == SCHEMA_VERSION, "schemaVersion must be %s, got %s",
                SCHEMA_VERSION, schemaVersion);
        Checks.checkArgument(steps != null && !steps.isEmpty(), "a curation needs at least one step");
        steps = List.copyOf(steps);
        Set<StepKind> seen = EnumSet.noneOf(StepKind.class);
        for (StepConfig s : steps) {
            Checks.checkArgument(s != null, "a step is null");
            Checks.checkArgument(seen.add(s.kind()), "step %s appears twice; each kind may appear "
                    + "once", s.kind().label());
        }
        threads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        Checks.checkArgument(threads >= 1, "threads must be >= 1, got %s", threads);
        samplesPerShard = samplesPerShard == null ? 10_000 : samplesPerShard;
        Checks.checkArgument(samplesPerShard >= 1, "samplesPerShard must be >= 1, got %s",
                samplesPerShard);
    }

    /** Steps with the default threads and shard size. */
    public static CurationConfig of(List<StepConfig> steps) {
        return new CurationConfig(SCHEMA_VERSION, steps, null, null);
    }

    /** With another thread count. */
    public CurationConfig withThreads(int threads) {
        return new CurationConfig(schemaVersion, steps, threads, samplesPerShard);
    }

    /** With another output shard size. */
    public CurationConfig withSamplesPerShard(int samplesPerShard) {
        return new CurationConfig(schemaVersion, steps, threads, samplesPerShard);
    }

    /** Reads strict JSON. */
    public static CurationConfig fromJson(Path file) throws IOException {
        return Json.read(file, CurationConfig.class);
    }

    /** This config as JSON, defaults filled in. */
    public String toJson() {
        return Json.write(this);
    }
}
