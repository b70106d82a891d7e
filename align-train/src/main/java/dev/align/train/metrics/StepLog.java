package dev.align.train.metrics;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.align.core.io.AtomicFiles;
import dev.align.core.json.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * A {@code .jsonl} file of a run ({@code metrics.jsonl}, {@code eval.jsonl}): one JSON object per
 * line, each of a step, flushed as it is written. On resume the lines of steps after the
 * checkpoint (written before the interruption) are dropped, and so are blank lines and a line cut
 * short by the interruption, so the file reads as one uninterrupted run.
 *
 * @param <T> what a line holds: a type Jackson reads and writes
 */
public final class StepLog<T> implements AutoCloseable {

    private static final ObjectWriter ONE_LINE =
            Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT);

    private final Path file;
    private final ToLongFunction<T> stepOf;
    private final BufferedWriter out;
    private final List<T> history = new ArrayList<>();

    /**
     * Opens the log, keeping the lines of steps up to {@code resumeStep} of an existing file.
     *
     * @param file the log; created, or rewritten atomically with the kept lines
     * @param resumeStep steps completed at the checkpoint resumed from (0 for a new run: an
     *     existing file is emptied)
     * @param type what a line holds
     * @param stepOf the step a line belongs to
     * @throws IOException if the file cannot be read or written
     */
    public StepLog(Path file, long resumeStep, Class<T> type, ToLongFunction<T> stepOf)
            throws IOException {
        this.file = Objects.requireNonNull(file, "file");
        this.stepOf = Objects.requireNonNull(stepOf, "stepOf");
        List<String> kept = new ArrayList<>();
        if (resumeStep > 0 && Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    T record = Json.mapper().readValue(line, type);
                    if (stepOf.applyAsLong(record) <= resumeStep) {
                        kept.add(line);
                        history.add(record);
                    }
                } catch (IOException e) {
                    // a line cut by the interruption: drop it
                }
            }
        }
        AtomicFiles.write(file, (String.join("\n", kept) + (kept.isEmpty() ? "" : "\n"))
                .getBytes(StandardCharsets.UTF_8));
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /**
     * Appends one line.
     *
     * @throws IOException if the line cannot be written (a full disk); the message names the step
     *     and the file. A line cut short is dropped when the run resumes.
     */
    public void log(T record) throws IOException {
        try {
            out.write(ONE_LINE.writeValueAsString(record));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new IOException(String.format("cannot append step %s to %s: %s",
                    stepOf.applyAsLong(record), file, e.getMessage()), e);
        }
        history.add(record);
    }

    /** Every line logged so far in this run, including those kept from before a resume. */
    public List<T> history() {
        return List.copyOf(history);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
