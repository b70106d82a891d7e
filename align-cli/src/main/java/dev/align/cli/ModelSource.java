package dev.align.cli;

import dev.align.models.config.ClipConfig;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** {@code --preset NAME} or {@code --config FILE}: where a model's configuration comes from. */
final class ModelSource {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Choice choice;

    static final class Choice {
        @Option(names = "--preset", paramLabel = "NAME",
                description = "A named model: ViT-B-32, ViT-B-16, ViT-L-14 (optionally with "
                        + "-quickgelu), tiny, small, test.")
        String preset;

        @Option(names = "--config", paramLabel = "FILE",
                description = "A model config JSON file (strict: unknown keys are rejected).")
        Path config;
    }

    ClipConfig resolve() throws IOException {
        return ClipConfig.resolve(choice.preset, choice.config);
    }
}
