package dev.align.models.io;

import java.io.IOException;

/**
 * Weights that do not fit a model: keys missing from the file, keys the model does not have, or
 * shapes that differ. The message lists every offending key, so one run shows all of them.
 */
public final class IncompatibleWeightsException extends IOException {

    private static final long serialVersionUID = 1L;

    /** @param message what does not fit, key by key */
    public IncompatibleWeightsException(String message) {
        super(message);
    }
}
