package dev.align.core.progress;

import static dev.align.core.Checks.checkArgument;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The progress of one job on a stream (align's only progress printer: training, evaluation,
 * imports). On a terminal it is one line redrawn in place, at most ten times a second:
 * {@code label [#########...............] 120/400  detail}. Anywhere else (a log file, CI, a
 * pipe) it never writes a carriage return: it prints a plain line each time another twentieth
 * of the work is done (every 30 seconds while the total is unknown), and always the last one.
 *
 * <pre>{@code
 * try (ProgressLine progress = ProgressLine.on(System.err, "zero-shot cifar10")) {
 *     for (int i = 1; i <= n; i++) {
 *         ...
 *         progress.update(i, n, String.format("%.1f images/s", i / seconds));
 *     }
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one thread reports.
 */
public final class ProgressLine implements AutoCloseable {

    /** Characters of the bar between its brackets. */
    static final int BAR_WIDTH = 24;
    /** Plain lines per job with a known total, at most (plus the final one). */
    static final int PLAIN_LINES = 20;
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final long PLAIN_UNKNOWN_NANOS = 30_000_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final String label;
    private final LongSupplier clock;
    private String shown = "";
    private boolean open;
    private long lastDraw;
    private long lastBucket;
    private boolean drawnOnce;
    /** The latest line, when throttling held it back. */
    private String pending;

    /**
     * A progress line on {@code out}.
     *
     * @param out where it goes, usually {@code System.err}
     * @param terminal redraw in place (only when {@code out} is a terminal)
     * @param label what is progressing, printed first
     */
    public ProgressLine(PrintStream out, boolean terminal, String label) {
        this(out, terminal, label, System::nanoTime);
    }

    ProgressLine(PrintStream out, boolean terminal, String label, LongSupplier clock) {
        checkArgument(out != null && label != null, "out and label must not be null");
        this.out = out;
        this.terminal = terminal;
        this.label = label;
        this.clock = clock;
    }

    /**
     * A progress line on {@code out}, redrawn in place when {@code out} is the JVM's standard
     * error or output stream and the JVM has a console (a terminal on both ends), else plain
     * lines.
     */
    public static ProgressLine on(PrintStream out, String label) {
        return new ProgressLine(out, isTerminal(out), label);
    }

    /** Whether {@code out} is the standard error or output stream of a JVM with a console. */
    public static boolean isTerminal(PrintStream out) {
        return System.console() != null && (out == System.err || out == System.out);
    }

    /** Whether this line redraws in place. */
    public boolean terminal() {
        return terminal;
    }

    /**
     * Shows that {@code done} of {@code total} units are done.
     *
     * @param done units done so far, {@code >= 0}
     * @param total units in all, or {@code -1} while unknown
     * @param detail printed after the counts (a loss, a rate, an ETA), may be empty
     */
    public void update(long done, long total, String detail) {
        checkArgument(done >= 0, "done must be >= 0, got %s", done);
        boolean finished = total >= 0 && done >= total;
        long now = clock.getAsLong();
        String line = render(done, total, detail);
        if (terminal) {
            if (finished || !drawnOnce || now - lastDraw >= REDRAW_NANOS) {
                draw(line);
                lastDraw = now;
                drawnOnce = true;
                pending = null;
                if (finished) {
                    out.println();
                    open = false;
                    shown = "";
                }
            } else {
                pending = line;
            }
        } else {
            long bucket = total > 0 ? Math.min(PLAIN_LINES, done * PLAIN_LINES / total) : 0;
            boolean due = finished || (total > 0 ? bucket > lastBucket
                    : drawnOnce ? now - lastDraw >= PLAIN_UNKNOWN_NANOS : done > 0);
            if (due) {
                out.println(line);
                lastBucket = bucket;
                lastDraw = now;
                drawnOnce = true;
                pending = null;
            } else {
                pending = line;
            }
        }
        out.flush();
    }

    /**
     * Prints {@code text} on a line of its own (an evaluation result, a note), keeping the bar
     * below it on a terminal.
     */
    public void println(String text) {
        if (terminal && open) {
            String bar = pending != null ? pending : shown;
            clear();
            out.println(text);
            draw(bar);
            pending = null;
        } else {
            out.println(text);
        }
        out.flush();
    }

    /**
     * Shows the latest state if it was held back (throttled) and ends an unfinished terminal
     * line, so that what follows starts on a line of its own.
     */
    @Override
    public void close() {
        if (pending != null) {
            if (terminal) {
                draw(pending);
            } else {
                out.println(pending);
            }
            pending = null;
        }
        if (terminal && open) {
            out.println();
            open = false;
            shown = "";
        }
        out.flush();
    }

    private void draw(String line) {
        StringBuilder sb = new StringBuilder("\r").append(line);
        for (int i = line.length(); i < shown.length(); i++) {
            sb.append(' ');                                   // wipe the end of a longer line
        }
        out.print(sb);
        shown = line;
        open = true;
    }

    private void clear() {
        out.print("\r" + " ".repeat(shown.length()) + "\r");
        shown = "";
        open = false;
    }

    /** The text of the line: label, bar and counts when the total is known, detail. */
    String render(long done, long total, String detail) {
        StringBuilder sb = new StringBuilder(label);
        if (total > 0) {
            int filled = (int) Math.min(BAR_WIDTH, BAR_WIDTH * done / total);
            sb.append(" [").append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled))
                    .append("] ").append(done).append('/').append(total);
        } else {
            sb.append(' ').append(done).append(total == 0 ? "/0" : "");
        }
        if (detail != null && !detail.isEmpty()) {
            sb.append("  ").append(detail);
        }
        return sb.toString();
    }

    /** {@code hh:mm:ss} of a duration in seconds (negative as zero), for ETAs. */
    public static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
