package dev.align.curation.pipeline;

import dev.align.core.Checks;
import java.util.Arrays;

/** The kinds of curation step, with their names in the step syntax and decision files. */
public enum StepKind {
    /** ALIGN's cheap filters ({@link dev.align.curation.rules.AlignRules}). */
    ALIGN_RULES("align-rules"),
    /** MetaCLIP matching and balancing ({@link dev.align.curation.metaclip.MetaClipBalancer}). */
    METACLIP("metaclip"),
    /**
     * MetaCLIP 2: per-language matching and balancing
     * ({@link dev.align.curation.worldwide.WorldwideBalancer}).
     */
    METACLIP2("metaclip2"),
    /** DFN or CLIP-score filtering ({@link dev.align.curation.dfn.DfnScorer}). */
    DFN("dfn");

    private final String label;

    StepKind(String label) {
        this.label = label;
    }

    /** @return the step's name: {@code align-rules}, {@code metaclip} or {@code dfn} */
    public String label() {
        return label;
    }

    /** The kind named {@code label}, or a clear error listing the names. */
    public static StepKind of(String label) {
        for (StepKind k : values()) {
            if (k.label.equals(label)) {
                return k;
            }
        }
        Checks.checkArgument(false, "unknown curation step '%s'; steps are %s", label,
                Arrays.stream(values()).map(StepKind::label).toList());
        return null;
    }
}
