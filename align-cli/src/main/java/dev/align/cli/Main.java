package dev.align.cli;

import dev.align.core.io.FileErrors;
import dev.align.train.TrainingStoppedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code ./align}. Errors that are the user's (a bad config, a file that does not
 * fit) print one clear line and exit with 2; I/O failures exit with 1; a training run stopped by
 * SIGTERM after writing its checkpoint exits with 75 ({@link TrainingStoppedException#EXIT_STATUS});
 * stack traces only with {@code ALIGN_DEBUG=1}.
 */
@Command(name = "align", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Train, evaluate and curate CLIP/ALIGN-style image-text dual encoders.",
        subcommands = {ModelCommand.class, TrainCommand.class, EvalCommand.class, DataCommand.class,
            CurateCommand.class, ExperimentCommand.class, SearchCommand.class, DemoCommand.class,
            CommandLine.HelpCommand.class})
public final class Main {

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit status (for tests). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (System.getenv("ALIGN_DEBUG") != null) {
                e.printStackTrace();
            }
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            commandLine.getErr().println("align: " + FileErrors.describe(cause));
            if (cause instanceof TrainingStoppedException) {
                return TrainingStoppedException.EXIT_STATUS;
            }
            return cause instanceof IllegalArgumentException
                    || cause instanceof dev.align.models.io.IncompatibleWeightsException ? 2
                    : cause instanceof IOException ? 1 : 3;
        });
        giveVersionToSubcommands(cli, new Version());
        return cli.execute(args);
    }

    /** So that {@code ./align train --version} prints the version too, not an empty line. */
    private static void giveVersionToSubcommands(CommandLine cli, Version version) {
        for (CommandLine sub : cli.getSubcommands().values()) {
            sub.getCommandSpec().versionProvider(version);
            giveVersionToSubcommands(sub, version);
        }
    }
}
