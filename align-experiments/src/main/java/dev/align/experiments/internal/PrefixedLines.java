package dev.align.experiments.internal;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A stream whose every line reaches another stream whole, with a prefix, in one
 * {@code println}: jobs that print at the same time (training runs side by side) give readable
 * lines such as {@code "  dfn seed 1: step [####....] 64/320 ..."} instead of garbled ones. A line
 * is passed on when its newline arrives (a carriage return also ends a line), the rest on
 * {@link PrintStream#close()}; empty lines are dropped. Closing does not close the other
 * stream.
 */
public final class PrefixedLines extends OutputStream {

    private final PrintStream target;
    private final String prefix;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private PrefixedLines(PrintStream target, String prefix) {
        this.target = target;
        this.prefix = prefix;
    }

    /**
     * A stream onto {@code target} that prefixes each line with {@code prefix}.
     *
     * @param target where whole lines go (shared between threads: {@code println} is atomic)
     * @param prefix printed before every line
     */
    public static PrintStream of(PrintStream target, String prefix) {
        if (target == null || prefix == null) {
            throw new IllegalArgumentException("target and prefix must not be null");
        }
        return new PrintStream(new PrefixedLines(target, prefix), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n' || b == '\r') {
            emit();
        } else {
            line.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    @Override
    public synchronized void close() {
        if (line.size() > 0) {
            emit();
        }
        target.flush();
    }

    private void emit() {
        if (line.size() == 0) {
            return;                                   // "\r\n", or a redraw's leading "\r"
        }
        target.println(prefix + line.toString(StandardCharsets.UTF_8));
        target.flush();
        line.reset();
    }
}
