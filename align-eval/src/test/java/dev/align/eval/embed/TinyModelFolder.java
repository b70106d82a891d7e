package dev.align.eval.embed;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.align.data.text.BpeTokenizer;
import dev.align.models.clip.ClipModel;
import dev.align.models.config.ClipConfig;
import dev.align.models.io.ModelBundle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A random-init {@code tiny} model folder with a BPE {@code tokenizer.json} trained in Java. */
public final class TinyModelFolder {

    private TinyModelFolder() {}

    /** Captions the tokenizer is trained on. */
    public static List<String> captions() {
        List<String> out = new ArrayList<>();
        String[] colours = {"red", "green", "blue", "yellow"};
        String[] shapes = {"disc", "square", "cross"};
        for (String c : colours) {
            for (String s : shapes) {
                out.add("a photo of a " + c + " " + s + ".");
                out.add("itap of the " + c + " " + s);
            }
        }
        return out;
    }

    /** Writes the folder ({@code model.json}, {@code model.safetensors}, {@code tokenizer.json}). */
    public static Path write(Path dir, long seed, boolean withTokenizer) throws IOException {
        ClipConfig c = ClipConfig.preset("tiny");
        try (NDManager m = NDManager.newBaseManager()) {
            ModelBundle.write(dir, ClipModel.create(c, m, DataType.FLOAT32, seed), null, null);
        }
        if (withTokenizer) {
            BpeTokenizer.train(captions(), 600, c.text().contextLength())
                    .save(dir.resolve(ModelBundle.TOKENIZER));
        }
        return dir;
    }
}
