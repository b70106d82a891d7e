package dev.align.cli;

import dev.align.train.TrainingStoppedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code ./align}. Errors that are the user's (a bad config, a file that does not
 * fit) print one clear line and exit with 2; I/O failures exit with 1; a training run stopped by
 * SIGTERM after writing its checkpoint exits with 75 ({@link TrainingStoppedException#EXIT_STATUS});
 * stack traces only with {@code ALIGN_DEBUG=1}.
 */
@Command(name = "align", mixinStandardHelpOptions = true, version = "align 0.1.0-SNAPSHOT",
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
            commandLine.getErr().println("align: " + message(cause));
            if (cause instanceof TrainingStoppedException) {
                return TrainingStoppedException.EXIT_STATUS;
            }
            return cause instanceof IllegalArgumentException
                    || cause instanceof dev.align.models.io.IncompatibleWeightsException ? 2
                    : cause instanceof IOException ? 1 : 3;
        });
        return cli.execute(args);
    }

    /**
     * The error in one line. File-system exceptions carry only a path as their message
     * ({@code AccessDeniedException: out/x}); they get their meaning back here.
     */
    static String message(Throwable e) {
        if (e instanceof AccessDeniedException a) {
            return "permission denied: cannot write " + a.getFile()
                    + " (is the folder read-only?)";
        }
        if (e instanceof NoSuchFileException n) {
            return "no such file or folder: " + n.getFile();
        }
        if (e instanceof FileAlreadyExistsException f) {
            return "already exists: " + f.getFile();
        }
        if (e instanceof FileSystemException f && f.getReason() != null && f.getFile() != null) {
            return f.getFile() + ": " + f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
