package dev.align.experiments.curation;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.align.core.Checks;
import dev.align.core.json.JsonOptional;

/**
 * One arm of the experiment.
 *
 * <pre>{@code {"name": "hybrid", "kind": "CURATE",
 *  "steps": "align-rules:minShorterSide=0,metaclip:metadata=${metadata},t=30,dfn:model=${filter},top=0.7"}}</pre>
 *
 * @param name a short name ({@code [a-z0-9-]+}), unique, used for folders and tables
 * @param kind {@code RAW}, {@code CURATE} or {@code ORACLE}
 * @param steps {@code CURATE} only: the chain in {@code ./align curate --steps} syntax;
 *     {@code ${metadata}} stands for the metadata built from the pool, {@code ${filter}} for the
 *     trained filter network's model folder
 * @param dropNearDuplicates {@code ORACLE} only: also remove the added near-duplicates of head
 *     concepts (default false: the oracle removes what is wrong, not what is redundant, so it
 *     bounds cleaning while balancing stays MetaCLIP's job)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArmConfig(String name, ArmKind kind, @JsonOptional String steps,
        @JsonOptional Boolean dropNearDuplicates) {

    /** The placeholder of the metadata file in {@link #steps}. */
    public static final String METADATA = "${metadata}";
    /** The placeholder of the filter network's model folder in {@link #steps}. */
    public static final String FILTER = "${filter}";

    /** Applies defaults and checks that only the kind's settings are given. */
    public ArmConfig {
        Checks.checkArgument(name != null && name.matches("[a-z0-9][a-z0-9-]*"), "arm name must "
                + "match [a-z0-9][a-z0-9-]*, got '%s'", name);
        Checks.checkArgument(kind != null, "arm %s needs a kind: RAW, CURATE or ORACLE", name);
        Checks.checkArgument((steps != null && !steps.isBlank()) == (kind == ArmKind.CURATE),
                "arm %s: a CURATE arm needs steps and only a CURATE arm takes them", name);
        Checks.checkArgument(dropNearDuplicates == null || kind == ArmKind.ORACLE,
                "arm %s: dropNearDuplicates is for the ORACLE arm", name);
        dropNearDuplicates = kind == ArmKind.ORACLE ? Boolean.TRUE.equals(dropNearDuplicates)
                : null;
    }

    /** A {@code RAW} arm. */
    public static ArmConfig raw(String name) {
        return new ArmConfig(name, ArmKind.RAW, null, null);
    }

    /** A {@code CURATE} arm. */
    public static ArmConfig curate(String name, String steps) {
        return new ArmConfig(name, ArmKind.CURATE, steps, null);
    }

    /** An {@code ORACLE} arm keeping near-duplicates. */
    public static ArmConfig oracle(String name) {
        return new ArmConfig(name, ArmKind.ORACLE, null, null);
    }

    /** Whether the steps use the metadata. */
    public boolean usesMetadata() {
        return steps != null && steps.contains(METADATA);
    }

    /** Whether the steps use the filter network. */
    public boolean usesFilter() {
        return steps != null && steps.contains(FILTER);
    }
}
