package dev.align.train.config;

import static dev.align.core.Checks.checkArgument;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.align.core.json.JsonOptional;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Evaluation during training, as OpenCLIP's {@code --zeroshot-frequency} and {@code --val-data}:
 * every {@code every} steps and after the last one, the live model (in eval mode, gradients off,
 * the training trajectory untouched) is scored zero-shot on ImageFolders and by retrieval on
 * shards; results go to {@code eval.jsonl}, {@code training.png} and the progress line.
 *
 * <pre>{@code
 * "eval": {"every": 100,
 *          "zeroShot": [{"name": "openmoji", "folder": "data/openmoji/eval",
 *                        "templates": "identity", "classes": "data/emoji/labels.txt"}],
 *          "retrieval": [{"name": "openmoji-pairs", "shards": "data/openmoji/{00000..00004}.tar",
 *                         "maxPairs": 1000}]}
 * }</pre>
 *
 * @param every steps between evaluations, {@code >= 1}; the last step is always evaluated
 * @param zeroShot ImageFolders to classify zero-shot (default none)
 * @param retrieval shards to retrieve over (default none); at least one task in all
 * @param tokenizer the {@code tokenizer.json} prompts and captions are encoded with, default
 *     {@code data.tokenizer} (required for SYNTHETIC data, which has none)
 * @param batch images or texts per forward pass, default 64
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvalSpec(long every, @JsonOptional List<ZeroShotTask> zeroShot,
        @JsonOptional List<RetrievalTask> retrieval, @JsonOptional String tokenizer,
        @JsonOptional Integer batch) {

    /** Applies defaults and checks every setting. */
    public EvalSpec {
        checkArgument(every >= 1, "eval.every must be >= 1 step, got %s", every);
        zeroShot = zeroShot == null ? List.of() : List.copyOf(zeroShot);
        retrieval = retrieval == null ? List.of() : List.copyOf(retrieval);
        checkArgument(!zeroShot.isEmpty() || !retrieval.isEmpty(), "eval needs at least one "
                + "task: a zeroShot ImageFolder or a retrieval shard set");
        checkArgument(tokenizer == null || !tokenizer.isBlank(), "eval.tokenizer is blank");
        batch = batch == null ? 64 : batch;
        checkArgument(batch >= 1, "eval.batch must be >= 1, got %s", batch);
        unique(zeroShot.stream().map(ZeroShotTask::name).toList(), "zeroShot");
        unique(retrieval.stream().map(RetrievalTask::name).toList(), "retrieval");
    }

    /** Whether step {@code step} (1-based: steps completed) of {@code steps} is evaluated. */
    public boolean isDue(long step, long steps) {
        return step % every == 0 || step == steps;
    }

    private static void unique(List<String> names, String what) {
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            checkArgument(seen.add(n), "eval.%s has two tasks named '%s': give each a distinct "
                    + "'name'", what, n);
        }
    }

    /** The last element of a path or brace pattern's folder, as a default task name. */
    static String defaultName(String path, boolean pattern) {
        Path p = Path.of(path).normalize();
        if (pattern && p.getFileName() != null && (p.getFileName().toString().contains("{")
                || p.getFileName().toString().endsWith(".tar")) && p.getParent() != null) {
            p = p.getParent();
        }
        Path name = p.toAbsolutePath().normalize().getFileName();
        return name == null ? "data" : name.toString();
    }

    /**
     * A zero-shot task.
     *
     * @param name what {@code eval.jsonl} calls it, default the folder's name
     * @param folder the ImageFolder (one sub-folder per class; optional {@code classnames.txt})
     * @param templates {@code identity}, {@code simple}, {@code openai}, {@code drawing} or a
     *     file; default the folder's own {@code templates.txt}, else {@code openai}
     * @param classes a file of class names, one per line (such as the {@code labels.txt} of the
     *     training set's import): only the folder's classes named there are evaluated, and only
     *     among each other; default all classes
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ZeroShotTask(@JsonOptional String name, String folder,
            @JsonOptional String templates, @JsonOptional String classes) {

        /** Names the task after its folder unless named. */
        public ZeroShotTask {
            checkArgument(folder != null && !folder.isBlank(), "eval.zeroShot: 'folder' is "
                    + "required (an ImageFolder directory)");
            name = name == null ? defaultName(folder, false) : name;
            checkArgument(!name.isBlank(), "eval.zeroShot: blank name");
            checkArgument(templates == null || !templates.isBlank(),
                    "eval.zeroShot %s: blank templates", name);
            checkArgument(classes == null || !classes.isBlank(),
                    "eval.zeroShot %s: blank classes file", name);
        }
    }

    /**
     * A retrieval task: each sample's image against its caption(s).
     *
     * @param name what {@code eval.jsonl} calls it, default the shards' folder name
     * @param shards WebDataset shards, brace patterns allowed
     * @param maxPairs only the first this many samples of the stored order, default all
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RetrievalTask(@JsonOptional String name, String shards,
            @JsonOptional Long maxPairs) {

        /** Names the task after its shards' folder unless named. */
        public RetrievalTask {
            checkArgument(shards != null && !shards.isBlank(), "eval.retrieval: 'shards' is "
                    + "required (a brace pattern such as \"data/{00000..00009}.tar\")");
            name = name == null ? defaultName(shards, true) : name;
            checkArgument(!name.isBlank(), "eval.retrieval: blank name");
            checkArgument(maxPairs == null || maxPairs >= 1,
                    "eval.retrieval %s: maxPairs must be >= 1, got %s", name, maxPairs);
        }
    }
}
