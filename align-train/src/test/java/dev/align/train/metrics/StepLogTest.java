package dev.align.train.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepLogTest {

    /** What a line holds in this test. */
    record Line(long step, String note) {}

    @TempDir
    Path dir;

    private StepLog<Line> open(Path file, long resumeStep) throws Exception {
        return new StepLog<>(file, resumeStep, Line.class, Line::step);
    }

    @Test
    void aNewRunEmptiesAnOldFileAndWritesOneLinePerRecord() throws Exception {
        Path file = Files.writeString(dir.resolve("m.jsonl"), "{\"step\":9,\"note\":\"old\"}\n");
        try (StepLog<Line> log = open(file, 0)) {
            log.log(new Line(1, "a"));
            log.log(new Line(2, "b"));
            assertEquals(List.of(new Line(1, "a"), new Line(2, "b")), log.history());
            assertEquals(List.of("{\"step\":1,\"note\":\"a\"}", "{\"step\":2,\"note\":\"b\"}"),
                    Files.readAllLines(file), "flushed as written, one line each");
        }
    }

    /** Steps after the checkpoint, blank lines and a line cut by the interruption go. */
    @Test
    void resumingKeepsTheLinesUpToTheCheckpointStep() throws Exception {
        Path file = Files.writeString(dir.resolve("m.jsonl"), """
                {"step":1,"note":"a"}

                {"step":2,"note":"b"}
                {"step":3,"note":"after the checkpoint"}
                {"step":4,"no""", StandardCharsets.UTF_8);
        try (StepLog<Line> log = open(file, 2)) {
            assertEquals(List.of(new Line(1, "a"), new Line(2, "b")), log.history());
            assertEquals(List.of("{\"step\":1,\"note\":\"a\"}", "{\"step\":2,\"note\":\"b\"}"),
                    Files.readAllLines(file));
            log.log(new Line(3, "again"));
            assertEquals(3, log.history().size());
        }
        assertEquals("{\"step\":3,\"note\":\"again\"}", Files.readAllLines(file).get(2));
    }
}
