package dev.align.experiments.internal;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.align.core.io.AtomicFiles;
import dev.align.core.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** JSON Lines files: one compact JSON value per line, written atomically. */
public final class JsonLines {

    private static final ObjectWriter ONE_LINE = Json.mapper().writer()
            .without(SerializationFeature.INDENT_OUTPUT);

    private JsonLines() {}

    /** One value as compact one-line JSON. */
    public static String line(Object value) {
        try {
            return ONE_LINE.writeValueAsString(value);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Writes the values, one per line, atomically. */
    public static void write(Path file, List<?> values) throws IOException {
        AtomicFiles.write(file, out -> {
            for (Object v : values) {
                out.write(line(v).getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        });
    }

    /**
     * Reads every line as a {@code type} (strictly: unknown keys rejected).
     *
     * @throws IllegalArgumentException naming the file and line of a malformed line
     */
    public static <T> List<T> read(Path file, Class<T> type) throws IOException {
        List<T> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int n = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                n++;
                if (!line.isBlank()) {
                    out.add(Json.parse(line, type, file + " line " + n));
                }
            }
        }
        return out;
    }
}
