package dev.align.train.metrics;

import dev.align.core.io.AtomicFiles;
import dev.align.train.eval.EvalResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code training.png}: the loss curve above the learning-rate schedule and, when the run
 * evaluated the model, a panel of the evaluation curves (zero-shot top-1, retrieval recall at 1,
 * in percent), drawn with XChart.
 */
public final class TrainingPlot {

    private TrainingPlot() {}

    /** Draws the loss and lr of {@code history} into a PNG at {@code file} (written atomically). */
    public static void write(List<StepMetrics> history, Path file) throws IOException {
        write(history, List.of(), file);
    }

    /**
     * Draws the loss and lr of {@code history} and, if there are any, the {@code evaluations}
     * (one curve per task's headline number) into a PNG at {@code file} (written atomically).
     */
    public static void write(List<StepMetrics> history, List<EvalResult> evaluations, Path file)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        double[] steps = history.stream().mapToDouble(StepMetrics::step).toArray();
        XYChart loss = new XYChartBuilder().width(900).height(320).title("Training loss")
                .xAxisTitle("step").yAxisTitle("loss").build();
        loss.addSeries("loss", steps, history.stream().mapToDouble(StepMetrics::loss).toArray())
                .setMarker(SeriesMarkers.NONE);
        loss.getStyler().setLegendVisible(false);
        XYChart lr = learningRateChart(steps,
                history.stream().mapToDouble(StepMetrics::lr).toArray());
        List<XYChart> charts = new ArrayList<>(List.of(loss, lr));
        if (!evaluations.isEmpty()) {
            charts.add(evaluationChart(evaluations));
        }
        // Rendered into AtomicFiles' stream: XChart's file variant goes through java.io.File,
        // leaves a half-written "*.tmp.png" when the disk fills, and ignores the Path's file system.
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(charts, charts.size(), 1, out,
                BitmapEncoder.BitmapFormat.PNG));
    }

    /**
     * The learning-rate panel, in units of a power of ten ({@code lr (x 1e-4)}): XChart's tick
     * calculator fails on ranges as small as a learning rate's and labels the axis with
     * 15-digit values.
     */
    static XYChart learningRateChart(double[] steps, double[] lr) {
        double scale = lrScale(Arrays.stream(lr).map(Math::abs).max().orElse(0));
        XYChart chart = new XYChartBuilder().width(900).height(320).title("Learning rate")
                .xAxisTitle("step").yAxisTitle(scale == 1 ? "lr"
                        : "lr (x 1e" + Math.round(Math.log10(scale)) + ")").build();
        chart.addSeries("lr", steps, Arrays.stream(lr).map(v -> v / scale).toArray())
                .setMarker(SeriesMarkers.NONE);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisMin(0.0);                     // a learning rate is >= 0
        return chart;
    }

    /** The power of ten at or below {@code max} (1 for 0 or values of 1 and more). */
    static double lrScale(double max) {
        return max <= 0 || max >= 1 ? 1 : Math.pow(10, Math.floor(Math.log10(max)));
    }

    private static XYChart evaluationChart(List<EvalResult> evaluations) {
        XYChart chart = new XYChartBuilder().width(900).height(320).title("Evaluation")
                .xAxisTitle("step").yAxisTitle("%").build();
        Map<String, List<EvalResult>> byTask = new LinkedHashMap<>();
        for (EvalResult r : evaluations) {
            byTask.computeIfAbsent(r.headlineName(), k -> new ArrayList<>()).add(r);
        }
        byTask.forEach((name, rs) -> chart.addSeries(name,
                rs.stream().mapToDouble(EvalResult::step).toArray(),
                rs.stream().mapToDouble(r -> 100 * r.headline()).toArray())
                .setMarker(SeriesMarkers.CIRCLE));
        return chart;
    }
}
