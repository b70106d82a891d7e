package dev.align.cli;

import dev.align.core.io.AtomicFiles;
import dev.align.eval.retrieval.RecallAtK;
import dev.align.eval.retrieval.RetrievalReport;
import dev.align.eval.zeroshot.ClassAccuracy;
import dev.align.eval.zeroshot.ZeroShotReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;

/** The PNG plots of {@code ./align eval}, drawn with XChart and written atomically. */
final class EvalPlots {

    private EvalPlots() {}

    /** A bar per class: zero-shot top-1 accuracy (classes without evaluated images at 0). */
    static void perClassAccuracy(ZeroShotReport r, Path file) throws IOException {
        int width = Math.max(600, Math.min(4000, 40 * r.classes() + 200));
        CategoryChart chart = new CategoryChartBuilder().width(width).height(480)
                .title(String.format(java.util.Locale.ROOT, "%s: zero-shot top-1 per class (mean %.1f%%)",
                        r.dataset(), 100 * r.top1()))
                .xAxisTitle("class").yAxisTitle("accuracy").build();
        List<String> names = r.perClass().stream().map(ClassAccuracy::name).toList();
        List<Double> acc = r.perClass().stream()
                .map(c -> c.accuracy() == null ? 0.0 : c.accuracy()).toList();
        chart.addSeries("top-1", names, acc);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setXAxisLabelRotation(r.classes() > 8 ? 60 : 0);
        save(chart, file);
    }

    /** Recall@k against k, both directions, one pair of curves per data set. */
    static void recallCurves(List<RetrievalReport> reports, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(480).title("Retrieval recall@k")
                .xAxisTitle("k").yAxisTitle("recall").build();
        for (RetrievalReport r : reports) {
            double[] ks = r.recalls().stream().mapToDouble(RecallAtK::k).toArray();
            chart.addSeries(r.dataset() + " image->text", ks,
                    r.recalls().stream().mapToDouble(RecallAtK::imageToText).toArray());
            chart.addSeries(r.dataset() + " text->image", ks,
                    r.recalls().stream().mapToDouble(RecallAtK::textToImage).toArray());
        }
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        save(chart, file);
    }

    private static void save(Chart<?, ?> chart, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        // Into AtomicFiles' stream: XChart's file variant goes through java.io.File and leaves a
        // half-written "*.tmp.png" behind when the disk fills.
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out,
                BitmapEncoder.BitmapFormat.PNG));
    }
}
