package dev.align.benchmarks;

import dev.align.core.io.SafeTensors;
import dev.align.core.io.TensorData;
import dev.align.data.image.ImageDecoder;
import dev.align.data.image.ImageTransform;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The 224-px evaluation preprocessing ({@link ImageTransform}: decode, bicubic resize of the
 * shorter side, centre crop, normalise) timed on one thread in CPU time, per format, over the
 * photo set of {@code bench/make-photos}, the counterpart of {@code bench/pil_preprocess.py}; and,
 * given that script's {@code --out} file, the difference from PIL + torchvision's tensors.
 * Whether JPEGs go through TurboJPEG, OpenCV or ImageIO and PNGs through OpenCV or ImageIO depends
 * on what is installed and {@code -Dalign.image.turbojpeg}, {@code -Dalign.image.native}
 * (printed). MODE is {@code exact} (default) or {@code fast} ({@link ImageTransform.Mode}).
 *
 * <pre>{@code
 * java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *      dev.align.benchmarks.PreprocessBench PHOTOS [PIL.safetensors] [REPEATS] [MODE]
 * }</pre>
 * Prints one JSON object.
 */
public final class PreprocessBench {

    private PreprocessBench() {}

    public static void main(String[] args) throws Exception {
        Path photos = Path.of(args[0]);
        Map<String, TensorData> pil = args.length > 1 && !args[1].isEmpty()
                ? SafeTensors.read(Path.of(args[1])) : Map.of();
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        ImageTransform.Mode mode = args.length > 3
                ? ImageTransform.Mode.valueOf(args[3].toUpperCase(Locale.ROOT)) : ImageTransform.Mode.EXACT;
        int size = 224;
        ImageTransform transform = ImageTransform.builder(size).optMode(mode).build();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        StringBuilder json = new StringBuilder();
        json.append(String.format(Locale.ROOT, "{%n  \"decoder\": \"jpeg %s, png %s\",%n  \"mode\": \"%s\","
                + "%n  \"size\": %d,%n  \"threads\": 1,%n  \"repeats\": %d", ImageDecoder.jpegDecoder(),
                ImageDecoder.nativeDecoding() ? "OpenCV" : "ImageIO", mode.name().toLowerCase(Locale.ROOT),
                size, repeats));
        float[] dst = new float[3 * size * size];
        for (String ext : List.of("jpg", "png")) {
            List<Path> files = new ArrayList<>();
            try (Stream<Path> s = Files.list(photos)) {
                s.filter(p -> p.toString().endsWith("." + ext)).sorted().forEach(files::add);
            }
            if (files.isEmpty()) {
                continue;
            }
            List<byte[]> blobs = new ArrayList<>();
            for (Path f : files) {
                blobs.add(Files.readAllBytes(f));
            }
            // parity with PIL, and warm-up
            double maxDiff = 0;
            double sumDiff = 0;
            long differing = 0;
            long values = 0;
            for (int i = 0; i < blobs.size(); i++) {
                transform.apply(blobs.get(i), 0, dst, 0);
                TensorData ref = pil.get(files.get(i).getFileName().toString());
                if (ref != null) {
                    float[] r = ref.toFloatArray();
                    for (int j = 0; j < r.length; j++) {
                        double d = Math.abs(r[j] - dst[j]);
                        maxDiff = Math.max(maxDiff, d);
                        sumDiff += d;
                        differing += d > 0 ? 1 : 0;
                    }
                    values += r.length;
                }
            }
            for (int w = 0; w < 2; w++) {
                for (byte[] b : blobs) {
                    transform.apply(b, 0, dst, 0);
                }
            }
            double[] perPass = new double[repeats];
            MachineLoad.Window load = new MachineLoad.Window();
            long wall0 = System.nanoTime();
            for (int r = 0; r < repeats; r++) {
                long c0 = mx.getCurrentThreadCpuTime();
                for (byte[] b : blobs) {
                    transform.apply(b, 0, dst, 0);
                }
                perPass[r] = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
            }
            double wall = (System.nanoTime() - wall0) / 1e9;
            double foreign = load.foreignCores();
            Arrays.sort(perPass);
            double median = perPass[repeats / 2];
            json.append(String.format(Locale.ROOT, ",%n  \"%s\": {\"images\": %d, "
                    + "\"images_per_cpu_second\": %.1f, \"ms_per_image_cpu\": %.3f, "
                    + "\"foreign_cores\": %.2f", ext, blobs.size(), blobs.size() / median,
                    median * 1000 / blobs.size(), foreign));
            if (values > 0) {
                // one 8-bit level is 1/(255 std) after normalisation: at most 0.0146 (std 0.2613)
                json.append(String.format(Locale.ROOT, ", \"vs_pil\": {\"max_abs_diff\": %.3g, "
                        + "\"mean_abs_diff\": %.3g, \"max_diff_in_8bit_levels\": %.2f, "
                        + "\"differing_values\": %d, \"values\": %d}", maxDiff, sumDiff / values,
                        maxDiff * 0.27577711 * 255, differing, values));
            }
            json.append("}");
        }
        json.append(String.format(Locale.ROOT, "%n}%n"));
        System.out.print(json);
    }
}
