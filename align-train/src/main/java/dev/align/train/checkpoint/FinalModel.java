package dev.align.train.checkpoint;

import dev.align.core.io.FileErrors;
import dev.align.models.clip.ClipModel;
import dev.align.models.io.ModelBundle;
import dev.align.models.io.Provenance;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a run's final {@code model/} folder ({@link ModelBundle#write}, one unit: the weights,
 * {@code model.json}, {@code provenance.json} and the run's {@code tokenizer.json} appear together
 * or not at all, so no command ever loads weights without their config or tokenizer), and turns a
 * failure into a message that says how to finish the run.
 */
public final class FinalModel {

    /** The folder's name inside the run's output folder. */
    public static final String DIR = "model";

    private FinalModel() {}

    /**
     * Writes (or replaces) {@code out/model}.
     *
     * @param model the trained model
     * @param out the run's output folder
     * @param provenance what produced it
     * @param tokenizer the run's {@code tokenizer.json} to copy in, or {@code null}
     * @param step the steps completed (the last checkpoint holds the same weights)
     * @return the folder
     * @throws IOException if it cannot be written; nothing is left where {@code model/} would be,
     *     and the message says how to finish (the checkpoint of {@code step} has the same weights)
     */
    public static Path write(ClipModel model, Path out, Provenance provenance, Path tokenizer,
            long step) throws IOException {
        Path dir = out.resolve(DIR);
        try {
            ModelBundle.write(dir, model, tokenizer, provenance);   // eval encodes text with its tokenizer
        } catch (IOException e) {
            throw new IOException(String.format("cannot write the final model folder %s (%s); the "
                    + "checkpoint of step %s holds the same weights: free space or make the folder "
                    + "writable, then run again with --resume to write it", dir,
                    FileErrors.describe(e), step), e);
        }
        return dir;
    }
}
