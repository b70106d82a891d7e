package dev.align.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;

/**
 * How many cores other processes kept busy during each JMH iteration, measured exactly as the
 * peer's {@code LoadMonitor}: machine busy jiffies (user+nice+system+irq+softirq+steal from
 * {@code /proc/stat}) minus this JVM's own (utime+stime from {@code /proc/self/stat}), per second.
 * Printed per iteration and, with {@code -Dalign.bench.loadlog=FILE}, appended to FILE as one
 * JSON line per iteration. Linux only; elsewhere it stays silent.
 */
@State(Scope.Benchmark)
public class MachineLoad {

    private static final double HZ = 100; // USER_HZ, the unit of /proc/stat on Linux

    private long t0;
    private long busy0;
    private long self0;

    @Setup(Level.Iteration)
    public void start() {
        t0 = System.nanoTime();
        busy0 = busyTicks();
        self0 = selfTicks();
    }

    @TearDown(Level.Iteration)
    public void stop(BenchmarkParams bp, IterationParams ip) {
        if (busy0 < 0) {
            return;
        }
        double dt = (System.nanoTime() - t0) / 1e9;
        long self = selfTicks() - self0;
        double selfCores = self / HZ / dt;
        double foreign = Math.max(0, busyTicks() - busy0 - self) / HZ / dt;
        String label = bp.getBenchmark().replaceFirst(".*\\.(\\w+\\.\\w+)$", "$1")
                + bp.getParamsKeys().stream().map(k -> " " + k + "=" + bp.getParam(k)).reduce("", String::concat);
        System.out.printf(Locale.ROOT, "%n# load (%s, %s): self %.2f cores, foreign %.2f cores%n",
                ip.getType(), label, selfCores, foreign);
        String file = System.getProperty("align.bench.loadlog");
        if (file != null && ip.getType() == org.openjdk.jmh.runner.IterationType.MEASUREMENT) {
            String line = String.format(Locale.ROOT,
                    "{\"benchmark\":\"%s\",\"params\":\"%s\",\"threads\":\"%s\",\"seconds\":%.2f,"
                            + "\"self_cores\":%.2f,\"foreign_cores\":%.2f}%n",
                    bp.getBenchmark(), label, System.getProperty("ai.djl.pytorch.num_threads", ""), dt,
                    selfCores, foreign);
            try {
                Files.writeString(Path.of(file), line, StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                System.err.println("cannot append to " + file + ": " + e);
            }
        }
    }

    /**
     * A span of time that starts when it is made: the cores other processes kept busy during it,
     * by the same count. For the benchmarks that time themselves instead of through JMH.
     */
    static final class Window {
        private final long t0 = System.nanoTime();
        private final long busy0 = busyTicks();
        private final long self0 = selfTicks();

        /** Cores other processes kept busy from the making of this window until now; NaN off Linux. */
        double foreignCores() {
            double dt = (System.nanoTime() - t0) / 1e9;
            return busy0 < 0 ? Double.NaN
                    : Math.max(0, busyTicks() - busy0 - (selfTicks() - self0)) / HZ / dt;
        }
    }

    private static long busyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3])
                    + Long.parseLong(f[6]) + Long.parseLong(f[7]) + Long.parseLong(f[8]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long selfTicks() {
        try {
            String s = Files.readString(Path.of("/proc/self/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
