package dev.align.train.config;

import static dev.align.core.Checks.checkArgument;

/**
 * The training data.
 *
 * @param kind where pairs come from
 */
public record DataSpec(DataKind kind) {

    /** Checks the kind is given. */
    public DataSpec {
        checkArgument(kind != null, "data.kind must be one of %s", java.util.Arrays.toString(DataKind.values()));
    }
}
