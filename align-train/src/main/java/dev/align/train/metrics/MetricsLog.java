package dev.align.train.metrics;

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

/**
 * {@code metrics.jsonl}: one JSON object per step, flushed as it is written. On resume the lines
 * of steps after the checkpoint (written before the interruption) are dropped, so the file reads
 * as one uninterrupted run.
 */
public final class MetricsLog implements AutoCloseable {

    private final Path file;
    private final BufferedWriter out;
    private final List<StepMetrics> history = new ArrayList<>();

    /**
     * Opens the log, keeping the steps up to {@code resumeStep} of an existing file.
     *
     * @param resumeStep steps completed at the checkpoint resumed from (0 for a new run)
     */
    public MetricsLog(Path file, long resumeStep) throws IOException {
        List<String> kept = new ArrayList<>();
        if (resumeStep > 0 && Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    StepMetrics m = Json.mapper().readValue(line, StepMetrics.class);
                    if (m.step() <= resumeStep) {
                        kept.add(line);
                        history.add(m);
                    }
                } catch (IOException e) {
                    // a line cut by the interruption: drop it
                }
            }
        }
        AtomicFiles.write(file, (String.join("\n", kept) + (kept.isEmpty() ? "" : "\n"))
                .getBytes(StandardCharsets.UTF_8));
        this.file = file;
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /**
     * Appends one step.
     *
     * @throws IOException if the line cannot be written (a full disk); the message names the file.
     *     A line cut short is dropped when the run resumes.
     */
    public void log(StepMetrics m) throws IOException {
        try {
            out.write(Json.mapper().writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(m));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new IOException(String.format("cannot append step %s to %s: %s", m.step(), file,
                    e.getMessage()), e);
        }
        history.add(m);
    }

    /** Every step logged so far in this run, including those kept from before a resume. */
    public List<StepMetrics> history() {
        return List.copyOf(history);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
