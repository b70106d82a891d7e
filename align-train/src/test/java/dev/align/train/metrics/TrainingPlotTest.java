package dev.align.train.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.train.optim.CosineSchedule;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Axis;
import org.knowm.xchart.internal.chartpart.Chart;

class TrainingPlotTest {

    /** The y-axis tick labels XChart drew on {@code chart} (read from its internals). */
    static List<String> yTickLabels(XYChart chart) throws Exception {
        System.setProperty("java.awt.headless", "true");
        BitmapEncoder.getBufferedImage(chart);                       // lays the axes out
        Field pair = Chart.class.getDeclaredField("axisPair");
        pair.setAccessible(true);
        Object axisPair = pair.get(chart);
        Method left = axisPair.getClass().getDeclaredMethod("getLeftMainYAxis");
        left.setAccessible(true);
        Axis<?, ?> axis = (Axis<?, ?>) left.invoke(axisPair);
        return axis.getAxisTickCalculator().getTickLabels();
    }

    @Test
    void scalesArePowersOfTenAtOrBelowTheMaximum() {
        assertEquals(1e-4, TrainingPlot.lrScale(5e-4), 1e-18);
        assertEquals(1e-3, TrainingPlot.lrScale(1e-3), 1e-18);
        assertEquals(1e-5, TrainingPlot.lrScale(3e-5), 1e-20);
        assertEquals(1, TrainingPlot.lrScale(0));
        assertEquals(1, TrainingPlot.lrScale(2));
    }

    @Test
    void learningRateTicksAreShortAndRight() throws Exception {
        for (double peak : new double[] {5e-4, 1e-3, 3e-5, 0.1}) {
            CosineSchedule schedule = new CosineSchedule(peak, 0, 10, 400);
            double[] steps = new double[400];
            double[] lr = new double[400];
            for (int s = 0; s < 400; s++) {
                steps[s] = s + 1;
                lr[s] = schedule.lr(s);
            }
            XYChart chart = TrainingPlot.learningRateChart(steps, lr);
            List<String> labels = yTickLabels(chart);
            double scale = TrainingPlot.lrScale(peak);
            assertEquals(peak < 1 ? "lr (x 1e" + Math.round(Math.log10(scale)) + ")" : "lr",
                    chart.getYAxisTitle());
            int inRange = 0;
            for (String label : labels) {
                assertTrue(label.length() <= 4, "peak " + peak + ": label '" + label + "' of "
                        + labels);
                double value = Double.parseDouble(label) * scale;   // XChart lists one tick
                if (value >= -1e-12 && value <= peak * (1 + 1e-9)) {  // beyond each end, undrawn
                    inRange++;
                }
            }
            assertTrue(inRange >= 3, "peak " + peak + ": " + labels);
            assertEquals(labels.size(), labels.stream().distinct().count(), labels.toString());
        }
    }
}
