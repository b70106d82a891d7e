package dev.align.benchmarks;

import dev.align.core.io.AtomicFiles;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Records a long run's resident memory, live NDArrays, Java heap and throughput over time, and
 * judges whether they stayed flat: {@code NAME.jsonl} (one line per sample), {@code NAME.png}
 * (the four curves) and a verdict. Used by {@link TrainSoak} and {@link EmbedSoak}.
 *
 * <p>Flat means, comparing the mean over the fifth of the samples after the warm-up (the first
 * {@value #WARMUP_SHARE} of them) with the mean over the last fifth: resident memory grows by at
 * most {@value #RSS_SLACK_MIB} MiB or {@value #RSS_SLACK_SHARE} of its early value, whichever is
 * larger (allocators keep some of what they free), the Java heap after a full GC by at most
 * {@value #HEAP_SLACK_MIB} MiB, throughput falls to no less than {@value #THROUGHPUT_FLOOR} of
 * its early value, and the live NDArray count does not change at all after the warm-up.
 */
final class SoakRecorder {

    static final double WARMUP_SHARE = 0.1;
    static final double RSS_SLACK_MIB = 64;
    static final double RSS_SLACK_SHARE = 0.05;
    static final double HEAP_SLACK_MIB = 32;
    static final double THROUGHPUT_FLOOR = 0.8;

    /** One sample: progress (steps or images), and what was measured then. */
    record Sample(long progress, double seconds, double rssMib, long liveArrays, double heapMib,
            double perSecond) {}

    private final String name;
    private final String progressUnit;
    private final String rateUnit;
    private final Path dir;
    private final List<Sample> samples = new ArrayList<>();
    private final long start = System.nanoTime();
    private long lastProgress;
    private long lastNanos = start;

    /**
     * @param name file names and titles ({@code soak-train})
     * @param progressUnit what progress counts ("step", "image")
     * @param rateUnit what the throughput counts per second ("samples/s", "images/s")
     * @param dir where the files go
     */
    SoakRecorder(String name, String progressUnit, String rateUnit, Path dir) throws IOException {
        this.name = name;
        this.progressUnit = progressUnit;
        this.rateUnit = rateUnit;
        this.dir = dir;
        Files.createDirectories(dir);
    }

    /** The process's resident set in MiB ({@code VmRSS} of {@code /proc/self/status}). */
    static double rssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: fall through
        }
        return Double.NaN;
    }

    /** Java heap in use after a full collection, in MiB. */
    static double heapAfterGcMib() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024);
    }

    /**
     * Takes a sample.
     *
     * @param progress steps or images done so far
     * @param perUnit items per unit of progress, for the throughput (the batch for steps, 1 for
     *     images)
     * @param liveArrays NDArrays alive now
     */
    synchronized Sample sample(long progress, double perUnit, long liveArrays) {
        if (!samples.isEmpty() && progress == lastProgress) {
            return samples.get(samples.size() - 1);       // nothing new: no zero-rate sample
        }
        long now = System.nanoTime();
        double window = (now - lastNanos) / 1e9;
        double rate = window <= 0 ? 0 : (progress - lastProgress) * perUnit / window;
        lastNanos = now;
        lastProgress = progress;
        Sample s = new Sample(progress, (now - start) / 1e9, rssMib(), liveArrays,
                heapAfterGcMib(), rate);
        samples.add(s);
        return s;
    }

    /** The one-line form of a sample, as written to the JSONL file. */
    static String json(Sample s) {
        return String.format(Locale.ROOT, "{\"progress\": %d, \"seconds\": %.1f, \"rssMib\": %.1f, "
                + "\"liveArrays\": %d, \"heapAfterGcMib\": %.1f, \"perSecond\": %.2f}",
                s.progress(), s.seconds(), s.rssMib(), s.liveArrays(), s.heapMib(), s.perSecond());
    }

    /** Whether the run stayed flat, and the numbers behind the verdict. */
    record Verdict(boolean flat, String summary) {}

    /** Writes the JSONL and the plot, and judges the run. */
    synchronized Verdict finish(String header) throws IOException {
        StringBuilder jsonl = new StringBuilder();
        for (Sample s : samples) {
            jsonl.append(json(s)).append('\n');
        }
        AtomicFiles.write(dir.resolve(name + ".jsonl"), jsonl.toString()
                .getBytes(StandardCharsets.UTF_8));
        plot(header);
        return verdict();
    }

    private Verdict verdict() {
        int n = samples.size();
        if (n < 10) {
            return new Verdict(false, "too few samples (" + n + ") to judge");
        }
        // Means over windows, not single samples: RSS and throughput wander with checkpoints and
        // the allocator. Early window: the fifth after the warm-up; late window: the last fifth.
        int warm = Math.max(1, (int) Math.ceil(n * WARMUP_SHARE));
        int width = Math.max(2, n / 5);
        int earlyTo = Math.min(n, warm + width);
        int lateFrom = n - width;
        double rssEarly = mean(warm, earlyTo, Sample::rssMib);
        double rssLate = mean(lateFrom, n, Sample::rssMib);
        double heapEarly = mean(warm, earlyTo, Sample::heapMib);
        double heapLate = mean(lateFrom, n, Sample::heapMib);
        double rateEarly = mean(warm, earlyTo, Sample::perSecond);
        double rateLate = mean(lateFrom, n, Sample::perSecond);
        double rssSlack = Math.max(RSS_SLACK_MIB, RSS_SLACK_SHARE * rssEarly);
        long minArrays = Long.MAX_VALUE;
        long maxArrays = Long.MIN_VALUE;
        for (Sample s : samples.subList(warm, n)) {
            minArrays = Math.min(minArrays, s.liveArrays());
            maxArrays = Math.max(maxArrays, s.liveArrays());
        }
        Sample last = samples.get(n - 1);
        boolean flat = rssLate - rssEarly <= rssSlack && heapLate - heapEarly <= HEAP_SLACK_MIB
                && minArrays == maxArrays && rateLate >= THROUGHPUT_FLOOR * rateEarly;
        String summary = String.format(Locale.ROOT, "%s: %d samples over %d %ss in %.0f s "
                + "(windows of %d samples after %d of warm-up). RSS %.0f -> %.0f MiB (%+.0f, slack "
                + "%.0f; range %.0f..%.0f); heap after GC %.1f -> %.1f MiB; live NDArrays %d..%d; "
                + "%s %.1f -> %.1f. %s", name, n, last.progress(), progressUnit, last.seconds(),
                width, warm, rssEarly, rssLate, rssLate - rssEarly, rssSlack,
                min(warm, Sample::rssMib), max(warm, Sample::rssMib), heapEarly, heapLate,
                minArrays, maxArrays, rateUnit, rateEarly, rateLate, flat ? "FLAT" : "NOT FLAT");
        return new Verdict(flat, summary);
    }

    private double mean(int from, int to, java.util.function.ToDoubleFunction<Sample> f) {
        return samples.subList(from, to).stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    private double min(int from, java.util.function.ToDoubleFunction<Sample> f) {
        return samples.subList(from, samples.size()).stream().mapToDouble(f).min().orElse(Double.NaN);
    }

    private double max(int from, java.util.function.ToDoubleFunction<Sample> f) {
        return samples.subList(from, samples.size()).stream().mapToDouble(f).max().orElse(Double.NaN);
    }

    private void plot(String header) throws IOException {
        System.setProperty("java.awt.headless", "true");
        double[] x = samples.stream().mapToDouble(Sample::progress).toArray();
        List<XYChart> charts = List.of(
                chart(header + ": resident memory", "RSS (MiB)", x,
                        samples.stream().mapToDouble(Sample::rssMib).toArray()),
                chart("live NDArrays", "arrays", x,
                        samples.stream().mapToDouble(Sample::liveArrays).toArray()),
                chart("Java heap after a full GC", "heap (MiB)", x,
                        samples.stream().mapToDouble(Sample::heapMib).toArray()),
                chart("throughput", rateUnit, x,
                        samples.stream().mapToDouble(Sample::perSecond).toArray()));
        AtomicFiles.write(dir.resolve(name + ".png"), out -> BitmapEncoder.saveBitmap(charts, 4, 1,
                out, BitmapEncoder.BitmapFormat.PNG));
    }

    private XYChart chart(String title, String yTitle, double[] x, double[] y) {
        XYChart c = new XYChartBuilder().width(900).height(230).title(title)
                .xAxisTitle(progressUnit + "s").yAxisTitle(yTitle).build();
        c.addSeries(yTitle, x, y).setMarker(SeriesMarkers.NONE);
        c.getStyler().setLegendVisible(false);
        return c;
    }
}
