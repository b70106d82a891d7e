package dev.align.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** {@code ./align} in a child JVM, for tests that kill or signal it. */
final class ChildJvm {

    private ChildJvm() {}

    /**
     * Starts {@code dev.align.cli.Main} with {@code args}, one libtorch thread (the test's JVM has
     * its own), stdout and stderr into {@code log}.
     */
    static Process start(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true", "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "dev.align.cli.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits until {@code ready} holds while the child lives; fails if it ends first. */
    static void waitUntil(BooleanSupplier ready, Process child, Path log, String what)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline) {
            if (ready.getAsBoolean()) {
                return;
            }
            assertTrue(child.isAlive(), "the child ended before " + what + ":\n" + tail(log));
            Thread.sleep(20);
        }
        throw new AssertionError("the child did not reach " + what + " in time:\n" + tail(log));
    }

    /** The number of lines of a file, 0 while it does not exist. */
    static int lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The end of a child's log, for failure messages. */
    static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Waits for the child to end and returns its exit status. */
    static int exitStatus(Process child, Path log) throws IOException, InterruptedException {
        assertTrue(child.waitFor(300, TimeUnit.SECONDS), "the child timed out:\n" + tail(log));
        return child.exitValue();
    }
}
