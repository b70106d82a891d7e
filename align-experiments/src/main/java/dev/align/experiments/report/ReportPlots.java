package dev.align.experiments.report;

import dev.align.core.io.AtomicFiles;
import dev.align.experiments.curation.ArmKind;
import dev.align.experiments.curation.ArmReport;
import dev.align.experiments.curation.ExperimentReport;
import dev.align.experiments.curation.MetricStats;
import dev.align.experiments.stats.RemovalMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's PNG plots, drawn with XChart and written atomically. */
public final class ReportPlots {

    private ReportPlots() {}

    /** Zero-shot top-1 and top-5 per arm, mean with the seeds' standard deviation as error bars. */
    public static void zeroShot(ExperimentReport r, Path file) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500)
                .title(String.format(Locale.ROOT, "Zero-shot on OpenMoji (%d classes, chance "
                        + "top-1 %.1f%%), mean ± sd over %d seeds", r.evalSet().classes().size(),
                        100 * r.evalSet().chanceTop1(), r.config().trainSeeds().size()))
                .xAxisTitle("arm").yAxisTitle("accuracy (%)").build();
        addMetric(chart, r, "top-1", "zeroShotTop1");
        addMetric(chart, r, "top-5", "zeroShotTop5");
        chart.getStyler().setYAxisMin(0.0);
        save(chart, file);
    }

    /** Zero-shot top-1 on head and on tail classes per arm. */
    public static void headTail(ExperimentReport r, Path file) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500)
                .title(String.format(Locale.ROOT, "Head vs tail concepts: zero-shot top-1 (%d "
                        + "head, %d tail classes)", r.evalSet().headClasses(),
                        r.evalSet().tailClasses()))
                .xAxisTitle("arm").yAxisTitle("top-1 (%)").build();
        addMetric(chart, r, "head", "headTop1");
        addMetric(chart, r, "tail", "tailTop1");
        chart.getStyler().setYAxisMin(0.0);
        save(chart, file);
    }

    /** Precision and recall of what each arm removed, against the injected defects. */
    public static void removal(ExperimentReport r, Path file) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500)
                .title("What each arm removed, against the injected defects")
                .xAxisTitle("arm").yAxisTitle("%").build();
        List<String> arms = new ArrayList<>();
        List<Double> precision = new ArrayList<>();
        List<Double> recall = new ArrayList<>();
        List<Double> kept = new ArrayList<>();
        for (ArmReport a : r.arms()) {
            if (a.kind() == ArmKind.RAW) {
                continue;
            }
            RemovalMetrics m = a.curation().removal();
            arms.add(a.name());
            precision.add(m.precision() == null ? 0 : 100 * m.precision());
            recall.add(m.recall() == null ? 0 : 100 * m.recall());
            kept.add(100.0 * m.kept() / m.pairs());
        }
        if (arms.isEmpty()) {
            arms.add("(no curated arm)");
            precision.add(0.0);
            recall.add(0.0);
            kept.add(0.0);
        }
        chart.addSeries("precision", arms, precision);
        chart.addSeries("recall", arms, recall);
        chart.addSeries("pairs kept", arms, kept);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(100.0);
        save(chart, file);
    }

    /** Kept pairs per concept against the concept's rank, log-log, one curve per arm. */
    public static void concepts(Map<String, int[]> histograms, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500)
                .title("Concept histograms: pairs per concept by rank (raw = before curation)")
                .xAxisTitle("concept rank").yAxisTitle("pairs").build();
        for (Map.Entry<String, int[]> e : histograms.entrySet()) {
            int[] c = e.getValue();
            int n = 0;
            while (n < c.length && c[n] > 0) {
                n++;
            }
            if (n == 0) {
                continue;
            }
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = i + 1;
                y[i] = c[i];
            }
            chart.addSeries(e.getKey(), x, y).setMarker(SeriesMarkers.NONE);
        }
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        save(chart, file);
    }

    private static void addMetric(CategoryChart chart, ExperimentReport r, String series,
            String metric) {
        List<String> arms = new ArrayList<>();
        List<Double> mean = new ArrayList<>();
        List<Double> sd = new ArrayList<>();
        for (ArmReport a : r.arms()) {
            MetricStats m = a.metrics().get(metric);
            arms.add(a.name());
            mean.add(m == null ? 0 : 100 * m.summary().mean());
            sd.add(m == null || m.summary().sd() == null ? 0 : 100 * m.summary().sd());
        }
        chart.addSeries(series, arms, mean, sd);
    }

    private static void save(Chart<?, ?> chart, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        // Into AtomicFiles' stream: XChart's file variant goes through java.io.File and leaves a
        // half-written "*.tmp.png" behind when the disk fills.
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out,
                BitmapEncoder.BitmapFormat.PNG));
    }
}
