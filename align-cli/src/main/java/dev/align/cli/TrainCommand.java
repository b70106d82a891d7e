package dev.align.cli;

import dev.align.core.json.Json;
import dev.align.train.StopRequest;
import dev.align.train.TrainResult;
import dev.align.train.Trainer;
import dev.align.train.config.TrainConfig;
import dev.align.train.data.DataSources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./align train}: contrastive training from a JSON run config. */
@Command(name = "train", mixinStandardHelpOptions = true, resourceBundle = "dev.align.cli.TrainHelp",
        description = {"Train a dual encoder from a JSON run config.",
            "OUT gets metrics.jsonl (one JSON line per step), training.png (loss and lr, and "
                    + "the evaluation curves), checkpoints/ (the newest few, written "
                    + "atomically), model/ (model.safetensors with OpenCLIP keys + model.json), "
                    + "which every command taking a model accepts, and with an eval block "
                    + "eval.jsonl (one JSON line per task and evaluated step: top-1/top-5 or "
                    + "recall@1/5/10 and their mean). A progress bar goes to stderr.",
            "SIGTERM (a scheduler's or a preemptible cloud's notice) finishes the step in progress, "
                    + "writes a checkpoint and exits with status 75; --resume continues "
                    + "bit-exactly. A second SIGTERM exits at once."})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "Run config JSON (strict: unknown keys are rejected); its keys are "
                    + "listed below.")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--resume", description = "Continue from the newest valid checkpoint in OUT; "
            + "the result is bit-identical to a run that never stopped.")
    boolean resume;

    @Override
    public Integer call() throws IOException {
        TrainConfig cfg = TrainConfig.fromJson(config);
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            // must happen before the engine loads (DJL reads it once)
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(cfg.threads()));
        }
        StopRequest stop = new StopRequest();
        TermSignal.install(stop);
        try (Trainer trainer = Trainer.open(cfg, DataSources.open(cfg), out, resume)) {
            trainer.stopWhen(stop);
            System.err.println(trainer.optimizer().describeGroups());
            TrainResult result = trainer.run(System.err);
            System.out.println(Json.write(result));
        }
        return 0;
    }
}
