package dev.align.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.align.models.clip.ClipModel;
import dev.align.models.clip.InferenceEncoder;
import dev.align.models.config.ClipConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the time of a forward-only embedding goes: runs one tower of a preset at one batch size
 * (grad mode off, as the embedder does), times {@code iters} passes, then records a few more with
 * libtorch's own profiler ({@code JniUtils.startProfile}, a Chrome trace of every aten op) and
 * prints, per op, its self time (its time minus the ops it called) and its share of the wall time.
 * What is left of the wall time after every op is the Java side: JNI calls, array creation and
 * closing, copies between Java and native memory.
 *
 * <pre>{@code
 * java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 \
 *      -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *      dev.align.benchmarks.EmbedProfile ViT-B-32 image 64 5 [fast|reference|both]
 * }</pre>
 */
public final class EmbedProfile {

    private EmbedProfile() {}

    /**
     * Arguments: preset, {@code image|text}, batch, timed iterations, and the path: {@code fast}
     * ({@link InferenceEncoder}), {@code reference} ({@link ClipModel}'s forward) or {@code both}
     * (their parity, then both timed alternately, no profile).
     */
    public static void main(String[] args) throws IOException {
        String preset = args.length > 0 ? args[0] : "ViT-B-32";
        boolean image = args.length <= 1 || args[1].equals("image");
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int iters = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        String path = args.length > 4 ? args[4] : "fast";
        ClipConfig c = ClipConfig.preset(preset);
        try (NDManager manager = NDManager.newBaseManager()) {          // loads the engine
            JniUtils.setGradMode(false);
            ClipModel model = ClipModel.create(c, manager, DataType.FLOAT32, 0);
            ParameterStore ps = new ParameterStore(manager, false);
            InferenceEncoder fast = new InferenceEncoder(model);
            NDArray input = image ? Batches.pixels(manager, c, batch, 1) : Batches.ids(manager, c, batch, 2);
            long[] ids = image ? null : input.toLongArray();
            int t = c.text().contextLength();
            java.util.function.Function<Boolean, float[]> embed = useFast -> {
                try (NDManager step = manager.newSubManager()) {
                    if (useFast) {
                        return (image ? fast.encodeImages(TrainStep.step(step, input))
                                : fast.encodeTexts(step, ids, batch, t)).toFloatArray();
                    }
                    NDArray x = TrainStep.step(step, input);
                    return (image ? model.encodeImage(ps, x, false) : model.encodeText(ps, x, false))
                            .toFloatArray();
                }
            };
            if (path.equals("both")) {
                float[] a = embed.apply(false);
                float[] b = embed.apply(true);
                double max = 0;
                for (int i = 0; i < a.length; i++) {
                    max = Math.max(max, Math.abs(a[i] - b[i]));
                }
                System.out.printf(Locale.ROOT, "parity: max |fast - reference| = %.3g over %d values%n", max, a.length);
                long[][] times = new long[2][iters];
                for (int i = 0; i < iters; i++) {
                    for (int k = 0; k < 2; k++) {
                        long t0 = System.nanoTime();
                        embed.apply(k == 1);
                        times[k][i] = System.nanoTime() - t0;
                    }
                }
                for (int k = 0; k < 2; k++) {
                    java.util.Arrays.sort(times[k]);
                    System.out.printf(Locale.ROOT, "%-9s median %.1f ms (%.1f per second), min %.1f ms (%.1f per second)%n",
                            k == 0 ? "reference" : "fast", times[k][iters / 2] / 1e6,
                            batch * 1e9 / times[k][iters / 2], times[k][0] / 1e6, batch * 1e9 / times[k][0]);
                }
                return;
            }
            boolean useFast = path.equals("fast");
            Runnable pass = () -> embed.apply(useFast);
            for (int i = 0; i < 2; i++) {
                pass.run();
            }
            long[] ns = new long[iters];
            for (int i = 0; i < iters; i++) {
                long t0 = System.nanoTime();
                pass.run();
                ns[i] = System.nanoTime() - t0;
            }
            java.util.Arrays.sort(ns);
            double median = ns[iters / 2] / 1e6;
            System.out.printf(Locale.ROOT, "%s %s batch %d: median %.1f ms (%.1f per second), min %.1f ms%n",
                    preset, image ? "images" : "texts", batch, median, batch * 1000 / median, ns[0] / 1e6);
            int profiled = Math.max(1, Math.min(3, iters));
            Path trace = Files.createTempFile("align-profile", ".json");
            JniUtils.startProfile(false, false, false);
            long t0 = System.nanoTime();
            for (int i = 0; i < profiled; i++) {
                pass.run();
            }
            double wallUs = (System.nanoTime() - t0) / 1e3;
            JniUtils.stopProfile(trace.toString());
            report(trace, wallUs, profiled);
            Files.deleteIfExists(trace);
        }
    }

    private record Event(String name, double start, double dur, long tid) {}

    /** Self time per op name from a Chrome trace (events nested by time on each thread). */
    static void report(Path trace, double wallUs, int passes) throws IOException {
        JsonNode root = new ObjectMapper().readTree(trace.toFile());
        JsonNode events = root.isArray() ? root : root.path("traceEvents");
        List<Event> all = new ArrayList<>();
        for (JsonNode e : events) {
            if ("X".equals(e.path("ph").asText()) && e.has("dur")) {
                all.add(new Event(e.path("name").asText(), e.path("ts").asDouble(),
                        e.path("dur").asDouble(), e.path("tid").asLong()));
            }
        }
        all.sort(Comparator.comparingLong(Event::tid).thenComparingDouble(Event::start)
                .thenComparing(Comparator.comparingDouble(Event::dur).reversed()));
        Map<String, double[]> byName = new HashMap<>();   // self us, calls
        Deque<Event> stack = new ArrayDeque<>();
        Map<Event, Double> childTime = new HashMap<>();
        double topLevel = 0;
        long tid = Long.MIN_VALUE;
        for (Event e : all) {
            if (e.tid() != tid) {
                stack.clear();
                tid = e.tid();
            }
            while (!stack.isEmpty() && stack.peek().start() + stack.peek().dur() <= e.start()) {
                stack.pop();
            }
            if (stack.isEmpty()) {
                topLevel += e.dur();
            } else {
                childTime.merge(stack.peek(), e.dur(), Double::sum);
            }
            stack.push(e);
        }
        for (Event e : all) {
            double self = e.dur() - childTime.getOrDefault(e, 0.0);
            double[] agg = byName.computeIfAbsent(e.name(), k -> new double[2]);
            agg[0] += self;
            agg[1]++;
        }
        System.out.printf(Locale.ROOT, "profiled %d passes: wall %.1f ms, in aten ops %.1f ms (%.1f%%), "
                + "outside ops (Java, JNI, allocation) %.1f ms (%.1f%%)%n", passes, wallUs / 1e3,
                topLevel / 1e3, 100 * topLevel / wallUs, (wallUs - topLevel) / 1e3,
                100 * (wallUs - topLevel) / wallUs);
        System.out.printf(Locale.ROOT, "%-36s %10s %8s %8s %10s%n", "op (self time)", "ms/pass", "share",
                "calls", "us/call");
        byName.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]))
                .limit(25).forEach(en -> System.out.printf(Locale.ROOT, "%-36s %10.2f %7.1f%% %8.0f %10.1f%n",
                        en.getKey(), en.getValue()[0] / 1e3 / passes, 100 * en.getValue()[0] / wallUs,
                        en.getValue()[1] / passes, en.getValue()[0] / en.getValue()[1]));
    }
}
