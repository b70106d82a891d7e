package dev.align.train.eval;

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

/**
 * {@code eval.jsonl}: one {@link EvalResult} per line, flushed as written. On resume the lines of
 * steps after the checkpoint are dropped (they are evaluated again), so the file reads as one
 * uninterrupted run.
 */
final class EvalLog implements AutoCloseable {

    private final Path file;
    private final BufferedWriter out;
    private final List<EvalResult> history = new ArrayList<>();

    /** Opens the log, keeping the lines up to {@code resumeStep} of an existing file. */
    EvalLog(Path file, long resumeStep) throws IOException {
        List<String> kept = new ArrayList<>();
        if (resumeStep > 0 && Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                try {
                    EvalResult r = Json.mapper().readValue(line, EvalResult.class);
                    if (r.step() <= resumeStep) {
                        kept.add(line);
                        history.add(r);
                    }
                } catch (IOException e) {
                    // a blank line or one cut by the interruption: drop it
                }
            }
        }
        AtomicFiles.write(file, (String.join("\n", kept) + (kept.isEmpty() ? "" : "\n"))
                .getBytes(StandardCharsets.UTF_8));
        this.file = file;
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
    }

    /** Appends one result; a full disk fails naming the file (a cut line is dropped on resume). */
    void log(EvalResult r) throws IOException {
        try {
            out.write(Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(r));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new IOException(String.format("cannot append the evaluation of step %s to %s: %s",
                    r.step(), file, e.getMessage()), e);
        }
        history.add(r);
    }

    List<EvalResult> history() {
        return List.copyOf(history);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
