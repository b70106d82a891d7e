package dev.align.train.metrics;

import dev.align.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** {@code training.png}: the loss curve above the learning-rate schedule, drawn with XChart. */
public final class TrainingPlot {

    private TrainingPlot() {}

    /** Draws the loss and lr of {@code history} into a PNG at {@code file} (written atomically). */
    public static void write(List<StepMetrics> history, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        double[] steps = history.stream().mapToDouble(StepMetrics::step).toArray();
        XYChart loss = new XYChartBuilder().width(900).height(320).title("Training loss")
                .xAxisTitle("step").yAxisTitle("loss").build();
        loss.addSeries("loss", steps, history.stream().mapToDouble(StepMetrics::loss).toArray())
                .setMarker(SeriesMarkers.NONE);
        loss.getStyler().setLegendVisible(false);
        XYChart lr = new XYChartBuilder().width(900).height(320).title("Learning rate")
                .xAxisTitle("step").yAxisTitle("lr").build();
        lr.addSeries("lr", steps, history.stream().mapToDouble(StepMetrics::lr).toArray())
                .setMarker(SeriesMarkers.NONE);
        lr.getStyler().setLegendVisible(false);
        // Rendered into AtomicFiles' stream: XChart's file variant goes through java.io.File,
        // leaves a half-written "*.tmp.png" when the disk fills, and ignores the Path's file system.
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(List.of(loss, lr), 2, 1, out,
                BitmapEncoder.BitmapFormat.PNG));
    }
}
