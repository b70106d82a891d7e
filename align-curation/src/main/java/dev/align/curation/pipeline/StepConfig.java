package dev.align.curation.pipeline;

import dev.align.core.Checks;
import dev.align.core.json.JsonOptional;
import dev.align.curation.rules.AlignRulesConfig;

/**
 * One step of a curation: its kind and the settings of that kind (only those).
 *
 * @param kind {@code ALIGN_RULES}, {@code METACLIP} or {@code DFN}
 * @param alignRules thresholds of {@code ALIGN_RULES} (ALIGN's defaults when absent)
 * @param metaclip settings of {@code METACLIP}
 * @param dfn settings of {@code DFN}
 * @param metaclip2 settings of {@code METACLIP2}
 */
public record StepConfig(StepKind kind, @JsonOptional AlignRulesConfig alignRules,
        @JsonOptional MetaClipStepConfig metaclip, @JsonOptional DfnStepConfig dfn,
        @JsonOptional MetaClip2StepConfig metaclip2) {

    /** Checks that only the settings of {@code kind} are given. */
    public StepConfig {
        Checks.checkArgument(kind != null, "a step needs a kind: ALIGN_RULES, METACLIP, METACLIP2 or DFN");
        if (kind == StepKind.ALIGN_RULES && alignRules == null) {
            alignRules = AlignRulesConfig.defaults();
        }
        Checks.checkArgument((alignRules != null) == (kind == StepKind.ALIGN_RULES)
                && (metaclip != null) == (kind == StepKind.METACLIP)
                && (dfn != null) == (kind == StepKind.DFN)
                && (metaclip2 != null) == (kind == StepKind.METACLIP2),
                "a %s step takes only its own settings ('%s'), got alignRules=%s metaclip=%s dfn=%s "
                        + "metaclip2=%s", kind, switch (kind) {
                            case ALIGN_RULES -> "alignRules";
                            case METACLIP -> "metaclip";
                            case DFN -> "dfn";
                            case METACLIP2 -> "metaclip2";
                        }, alignRules != null, metaclip != null, dfn != null, metaclip2 != null);
    }
}
