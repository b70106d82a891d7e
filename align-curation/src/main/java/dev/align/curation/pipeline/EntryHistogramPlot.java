package dev.align.curation.pipeline;

import dev.align.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code entry-histogram.png}: how many metadata entries have a given match count, before and after
 * MetaCLIP's balancing, on log-log axes. Counts fall into power-of-two bins {@code [2^k, 2^(k+1))};
 * balancing flattens the head of the distribution to about {@code t} (drawn as a vertical line).
 */
public final class EntryHistogramPlot {

    private EntryHistogramPlot() {}

    /**
     * @param before per entry, matched pairs that reached the step
     * @param after per entry, matched pairs the balancing kept
     * @param t the threshold
     * @param file the PNG, written atomically
     */
    public static void write(long[] before, long[] after, long t, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("MetaCLIP entry counts before and after balancing (t = " + t + ")")
                .xAxisTitle("matched pairs per entry (power-of-two bins)")
                .yAxisTitle("entries").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        add(chart, "before balancing", before);
        add(chart, "after balancing", after);
        chart.addSeries("t", new double[] {t, t}, new double[] {1, Math.max(2, maxBin(before))})
                .setMarker(SeriesMarkers.NONE);
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(file, png);
    }

    private static void add(XYChart chart, String name, long[] counts) {
        long[] bins = bins(counts);
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int k = 0; k < bins.length; k++) {
            if (bins[k] > 0) {
                x.add(Math.pow(2, k));
                y.add((double) bins[k]);
            }
        }
        if (x.isEmpty()) {
            x.add(1.0);
            y.add(1.0); // a log axis cannot draw an empty series; an all-zero run shows one point
        }
        chart.addSeries(name, x, y);
    }

    /** {@code bins[k]} = entries with a count in {@code [2^k, 2^(k+1))}; zero counts left out. */
    static long[] bins(long[] counts) {
        long[] bins = new long[64];
        for (long c : counts) {
            if (c > 0) {
                bins[63 - Long.numberOfLeadingZeros(c)]++;
            }
        }
        return bins;
    }

    private static double maxBin(long[] counts) {
        long max = 1;
        for (long b : bins(counts)) {
            max = Math.max(max, b);
        }
        return max;
    }
}
