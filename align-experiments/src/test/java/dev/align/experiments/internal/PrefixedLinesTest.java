package dev.align.experiments.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrefixedLinesTest {

    @Test
    void passesWholeLinesOnWithTheirPrefix() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream target = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        PrintStream run = PrefixedLines.of(target, "  dfn seed 1: ");
        run.print("step 1/3");
        assertEquals("", bytes.toString(StandardCharsets.UTF_8), "half a line waits");
        run.println("  loss 2.08  – ok");
        run.print("\rstep 2/3\r\n");
        run.print("tail");
        run.close();
        assertEquals("  dfn seed 1: step 1/3  loss 2.08  – ok\n  dfn seed 1: step 2/3\n"
                + "  dfn seed 1: tail\n", bytes.toString(StandardCharsets.UTF_8).replace(
                System.lineSeparator(), "\n"));
    }

    /** Two threads printing at once: every line arrives whole, with its own prefix. */
    @Test
    void linesOfTwoThreadsDoNotMix() throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream target = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        List<Thread> threads = new ArrayList<>();
        for (String name : List.of("a", "b")) {
            PrintStream s = PrefixedLines.of(target, name + ": ");
            threads.add(new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    s.print(name.repeat(20));
                    s.print(' ');
                    s.println(i);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1000, lines.size());
        for (String line : lines) {
            String name = line.substring(0, 1);
            assertEquals(name + ": " + name.repeat(20) + " ", line.replaceAll("\\d+$", ""), line);
        }
    }

    @Test
    void rejectsNulls() {
        assertThrows(IllegalArgumentException.class, () -> PrefixedLines.of(null, "x"));
        assertThrows(IllegalArgumentException.class, () -> PrefixedLines.of(System.err, null));
    }
}
