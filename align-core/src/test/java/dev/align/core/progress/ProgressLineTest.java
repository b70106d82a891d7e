package dev.align.core.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private long now;

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainLinesNeverCarryCarriageReturnsAndComeEveryTwentieth() {
        try (ProgressLine p = new ProgressLine(out, false, "train", () -> now)) {
            for (int step = 0; step <= 1000; step++) {
                now += 1_000_000;
                p.update(step, 1000, "loss 1.0");
            }
        }
        String text = written();
        assertFalse(text.contains("\r"), text);
        List<String> lines = text.lines().toList();
        assertEquals(20, lines.size(), text);                       // 50, 100, ..., 1000
        assertEquals("train [" + "#".repeat(24) + "] 1000/1000  loss 1.0", lines.get(19));
        assertEquals("train [#" + ".".repeat(23) + "] 50/1000  loss 1.0", lines.get(0));
    }

    @Test
    void plainLinesOfAnUnknownTotalComeEveryThirtySecondsAndTheLastAtClose() {
        try (ProgressLine p = new ProgressLine(out, false, "retrieval", () -> now)) {
            for (int i = 1; i <= 100; i++) {
                now += 1_000_000_000L;                              // one second per update
                p.update(i, -1, "");
            }
        }
        List<String> lines = written().lines().toList();
        assertEquals(List.of("retrieval 1", "retrieval 31", "retrieval 61", "retrieval 91",
                "retrieval 100"), lines);
    }

    @Test
    void terminalRedrawsInPlaceAtMostTenTimesASecondAndEndsTheLine() {
        try (ProgressLine p = new ProgressLine(out, true, "import", () -> now)) {
            for (int i = 1; i <= 100; i++) {
                now += 10_000_000L;                                 // 10 ms per update
                p.update(i, 200, "");
            }
        }
        String text = written();
        long redraws = text.chars().filter(c -> c == '\r').count();
        assertTrue(redraws >= 10 && redraws <= 12, redraws + " redraws: " + text);
        assertTrue(text.endsWith("] 100/200\n"), text);             // the held-back last state
    }

    @Test
    void terminalKeepsTheBarBelowALineOfItsOwn() {
        try (ProgressLine p = new ProgressLine(out, true, "train", () -> now)) {
            p.update(5, 10, "loss 2.0");
            p.println("eval at step 5: top-1 10%");
            now += 1_000_000_000L;
            p.update(10, 10, "loss 1.0");
        }
        String text = written();
        String bar5 = "train [" + "#".repeat(12) + ".".repeat(12) + "] 5/10  loss 2.0";
        String wipe = "\r" + " ".repeat(bar5.length()) + "\r";
        assertEquals("\r" + bar5 + wipe + "eval at step 5: top-1 10%\n" + "\r" + bar5
                + "\rtrain [" + "#".repeat(24) + "] 10/10  loss 1.0\n", text);
    }

    @Test
    void aShorterLineWipesTheRestOfTheLongerOne() {
        ProgressLine p = new ProgressLine(out, true, "x", () -> now);
        p.update(1, -1, "long detail");
        now += 1_000_000_000L;
        p.update(2, -1, "");
        assertEquals("\rx 1  long detail\rx 2" + " ".repeat(13), written());
    }

    @Test
    void rejectsNegativeCountsAndFormatsClocks() {
        ProgressLine p = new ProgressLine(out, false, "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.update(-1, 10, ""));
        assertTrue(e.getMessage().contains("done must be >= 0, got -1"), e.getMessage());
        assertEquals("01:01:01", ProgressLine.clock(3661.2));
        assertEquals("00:00:00", ProgressLine.clock(-5));
    }
}
