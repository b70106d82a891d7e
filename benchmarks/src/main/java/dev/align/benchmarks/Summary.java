package dev.align.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.align.models.config.ClipConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Turns JMH JSON results (average time per operation) into the numbers the peer reports:
 * GEMM GFLOP/s ({@code 2 n^3 / t}), training samples/s ({@code B / t}), model GFLOP/s
 * ({@link ClipFlops#trainStep} / t), MFU against the GEMM peak measured from Java in the same
 * files (and against the peer's 456.5 GFLOP/s OpenBLAS peak), and embeddings/s. Each figure is
 * the median over the measurement iterations, with their min..max.
 *
 * <p>{@code java ... dev.align.benchmarks.Summary RESULT.json...}
 */
public final class Summary {

    /** fp32 GEMM peak of this machine class through OpenBLAS AVX-512 kernels (the peer's). */
    static final double PEER_GEMM_PEAK = 456.5;

    private Summary() {}

    private record Row(String bench, String params, String threads, double[] msPerOp) {}

    public static void main(String[] args) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Row> rows = new ArrayList<>();
        for (String a : args) {
            for (JsonNode r : json.readTree(Files.readString(Path.of(a)))) {
                String bench = r.get("benchmark").asText().replaceFirst(".*\\.(\\w+\\.\\w+)$", "$1");
                StringBuilder params = new StringBuilder();
                r.path("params").fields().forEachRemaining(e -> params.append(e.getKey()).append('=')
                        .append(e.getValue().asText()).append(' '));
                String threads = "?";
                for (JsonNode j : r.path("jvmArgs")) {
                    if (j.asText().startsWith("-Dai.djl.pytorch.num_threads=")) {
                        threads = j.asText().substring(j.asText().indexOf('=') + 1);
                    }
                }
                List<Double> raw = new ArrayList<>();
                r.path("primaryMetric").path("rawData").forEach(fork -> fork.forEach(v -> raw.add(v.asDouble())));
                double scale = toMillis(r.path("primaryMetric").path("scoreUnit").asText());
                rows.add(new Row(bench, params.toString().trim(), threads,
                        raw.stream().mapToDouble(v -> v * scale).toArray()));
            }
        }
        double peak = 0;
        for (Row row : rows) {
            if (row.bench.startsWith("GemmBench")) {
                double n = Double.parseDouble(param(row, "n"));
                peak = Math.max(peak, 2 * n * n * n / (median(row.msPerOp) * 1e-3) / 1e9);
            }
        }
        for (Row row : rows) {
            System.out.println(describe(row, peak));
        }
    }

    private static String describe(Row row, double javaPeak) {
        double[] ms = row.msPerOp;
        String head = String.format(Locale.ROOT, "%-28s %-32s threads=%s", row.bench, row.params, row.threads);
        if (row.bench.startsWith("GemmBench")) {
            double n = Double.parseDouble(param(row, "n"));
            return head + "  " + rate(ms, 2 * n * n * n / 1e9, "GFLOP/s");
        }
        if (row.bench.startsWith("TrainStepBench")) {
            int b = Integer.parseInt(param(row, "batch"));
            ClipConfig c = ClipConfig.preset(param(row, "preset"));
            double gflop = ClipFlops.trainStep(c, b) / 1e9;
            double g = gflop / (median(ms) * 1e-3);
            String mfu = String.format(Locale.ROOT, "  MFU %.1f%% of peer peak %.1f", 100 * g / PEER_GEMM_PEAK,
                    PEER_GEMM_PEAK);
            if (javaPeak > 0) {
                mfu += String.format(Locale.ROOT, ", %.1f%% of Java GEMM peak %.1f", 100 * g / javaPeak, javaPeak);
            }
            return head + "  " + rate(ms, b, "samples/s") + "  " + rate(ms, gflop, "GFLOP/s") + mfu;
        }
        if (row.bench.startsWith("EmbedBench")) {
            int b = Integer.parseInt(param(row, "batch"));
            return head + "  " + rate(ms, b, row.bench.endsWith("images") ? "images/s" : "texts/s");
        }
        return head + String.format(Locale.ROOT, "  %.1f ms/op (%.1f..%.1f)", median(ms), min(ms), max(ms));
    }

    /** {@code work / t} at the median time, with the range over iterations. */
    private static String rate(double[] ms, double work, String unit) {
        return String.format(Locale.ROOT, "%.1f %s (%.1f..%.1f)", work / (median(ms) * 1e-3), unit,
                work / (max(ms) * 1e-3), work / (min(ms) * 1e-3));
    }

    private static String param(Row row, String key) {
        for (String kv : row.params.split(" ")) {
            if (kv.startsWith(key + "=")) {
                return kv.substring(key.length() + 1);
            }
        }
        throw new IllegalArgumentException("no parameter " + key + " in " + row.params);
    }

    private static double toMillis(String unit) {
        return switch (unit) {
            case "s/op" -> 1e3;
            case "ms/op" -> 1;
            case "us/op" -> 1e-3;
            case "ns/op" -> 1e-6;
            default -> throw new IllegalArgumentException("run JMH in average-time mode, got unit " + unit);
        };
    }

    static double median(double[] x) {
        double[] c = x.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    private static double min(double[] x) {
        return Arrays.stream(x).min().orElse(Double.NaN);
    }

    private static double max(double[] x) {
        return Arrays.stream(x).max().orElse(Double.NaN);
    }
}
