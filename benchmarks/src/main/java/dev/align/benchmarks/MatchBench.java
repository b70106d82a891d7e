package dev.align.benchmarks;

import dev.align.curation.metaclip.BalanceDecision;
import dev.align.curation.metaclip.EntryCounts;
import dev.align.curation.metaclip.MetaClipBalancer;
import dev.align.curation.metaclip.MetadataMatcher;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Benchmark of MetaCLIP matching on the inputs of {@code shared/bench/metaclip_inputs.py} (see
 * {@code tools/metaclip-inputs.sh}), side by side with MetaCLIP's own Aho-Corasick matcher.
 *
 * <p>Usage (see benchmarks/README.md): {@code MatchBench INPUT_DIR [OUTPUT_FILE] [--repeats N] [--passes N] [--peer P]
 * [--peer-rate R]}. Reads {@code entries.txt} and {@code captions.txt}. Each of the N repeats
 * (default 3) first runs the peer, then builds the matcher and matches every caption on one thread:
 * a cold pass, then {@code --passes} warm passes (default 5). Throughput is given per second of the
 * matching thread's own CPU time (ThreadMXBean, which a loaded machine distorts less than wall
 * time) and per wall second. The output of the last pass, one line per caption of ascending ids
 * separated by single spaces (an empty line for no match), is written to OUTPUT_FILE (default
 * INPUT_DIR/matches.txt) and its sha256 compared with MetaCLIP's; then 2 threads are timed, and
 * counting and balancing with {@code t = 200}. Memory: the automaton's arrays, the heap held after
 * a full GC, the heap pools' peaks and the process's peak RSS (VmHWM).
 *
 * <p>The peer ({@code --peer python}, the default) is MetaCLIP's
 * {@code substr_matching_ahocorasick.py} as a user runs it: pyahocorasick (Debian's
 * {@code python3-ahocorasick}) with the values {@code (id, spaced entry)}, {@code spacing} by
 * {@code str.replace}, a set of ids per caption; run by {@code /usr/bin/python3} in a child
 * process on one core and timed with {@code time.process_time()} and {@code time.perf_counter()}.
 * With {@code --peer none} it is skipped, and {@code --peer-rate R} gives a peer rate measured
 * elsewhere (captions per CPU-second) to divide by.
 */
public final class MatchBench {

    /**
     * The sha256 of MetaCLIP's own output for the 200,000 benchmark captions (also checked by
     * align-curation's MetadataMatcherTest, which holds its own copy).
     */
    public static final String EXPECTED_SHA256 =
            "84a85dec970838e3149b22de5c2731176b77f1bf0ff5b706f08e001fb708756a";

    /** MetaCLIP's matcher (substr_matching_ahocorasick.py), timed; prints "key value" lines. */
    private static final String PEER_SCRIPT = """
            import hashlib, sys, time
            import ahocorasick
            def spacing(text):
                t = f" {text} "
                for p in [",", ".", ";", ":", "?", "!", "`"]:
                    t = t.replace(p, f" {p} ")
                for c in ["\\t", "\\n", "\\r"]:
                    t = t.replace(c, " ")
                return t
            def hwm_mb():
                # not ru_maxrss: a child keeps the high-water mark of the process that spawned it
                with open("/proc/self/status") as f:
                    return next(int(l.split()[1]) for l in f if l.startswith("VmHWM:")) / 1024
            def read_lines(path):
                with open(path, encoding="utf-8", newline="\\n") as f:
                    return [l[:-1] if l.endswith("\\n") else l for l in f]
            d = sys.argv[1]
            entries = read_lines(d + "/entries.txt")
            captions = read_lines(d + "/captions.txt")
            rss0 = hwm_mb()
            c0, w0 = time.process_time(), time.perf_counter()
            a = ahocorasick.Automaton()
            for idx, key in enumerate([f" {e} " for e in entries]):
                a.add_word(key, (idx, key))
            a.make_automaton()
            print("build_cpu_s", time.process_time() - c0)
            print("build_wall_s", time.perf_counter() - w0)
            rss1 = hwm_mb()
            out = []
            c0, w0 = time.process_time(), time.perf_counter()
            for cap in captions:
                text = spacing(cap)
                ids = set()
                for end, (eid, val) in a.iter(text):
                    ids.add(eid)
                out.append(list(ids))
            cpu, wall = time.process_time() - c0, time.perf_counter() - w0
            print("rate_cpu", len(captions) / cpu)
            print("rate_wall", len(captions) / wall)
            text = "".join(" ".join(map(str, sorted(m))) + "\\n" for m in out)
            print("sha256", hashlib.sha256(text.encode()).hexdigest())
            print("rss_inputs_mb", rss0)
            print("rss_after_build_mb", rss1)
            print("rss_peak_mb", hwm_mb())
            """;

    private MatchBench() {}

    /**
     * Runs the benchmark.
     *
     * @param args input directory, optionally the output file, then options (see class doc)
     * @throws IOException if the inputs cannot be read or the output written
     * @throws InterruptedException if interrupted while waiting for the peer
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new HashMap<>(Map.of("--repeats", "3", "--passes", "5",
                "--peer", "python", "--peer-rate", "0"));
        for (int i = 0; i < args.length; i++) {
            if (options.containsKey(args[i]) && i + 1 < args.length) {
                options.put(args[i], args[++i]);
            } else if (args[i].startsWith("--")) {
                usage("unknown option " + args[i]);
            } else {
                positional.add(args[i]);
            }
        }
        if (positional.isEmpty() || positional.size() > 2) {
            usage("give INPUT_DIR and optionally OUTPUT_FILE");
        }
        Path dir = Path.of(positional.get(0));
        Path outFile = positional.size() > 1 ? Path.of(positional.get(1))
                : dir.resolve("matches.txt");
        int repeats = Integer.parseInt(options.get("--repeats"));
        int passes = Integer.parseInt(options.get("--passes"));
        String peer = options.get("--peer");
        double givenPeerRate = Double.parseDouble(options.get("--peer-rate"));
        if (repeats < 1 || passes < 1 || !(peer.equals("python") || peer.equals("none"))) {
            usage("--repeats and --passes must be >= 1 and --peer python or none");
        }

        List<String> entries = readLines(dir.resolve("entries.txt"));
        List<String> captions = readLines(dir.resolve("captions.txt"));
        System.out.printf("entries=%d captions=%d uptime: %s%n", entries.size(), captions.size(),
                loadAverage());
        double inputsHwm = vmHwmKb() / 1024.0;
        double buildHwm = 0;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        MetadataMatcher matcher = null;
        List<int[]> last = null;
        double[] javaCpu = new double[repeats];
        double[] javaWall = new double[repeats];
        double[] peerCpu = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            Map<String, String> p = peer.equals("python") ? runPeer(dir) : Map.of();
            if (!p.isEmpty()) {
                peerCpu[r] = Double.parseDouble(p.get("rate_cpu"));
                System.out.printf("repeat %d peer (pyahocorasick, 1 core): %.0f captions per CPU-s, "
                                + "%.0f/s wall; build %.2f s CPU (%.2f s wall); RSS %.0f MB after "
                                + "reading the inputs, %.0f MB after the build, %.0f MB peak; "
                                + "sha256 %s%n",
                        r, peerCpu[r], Double.parseDouble(p.get("rate_wall")),
                        Double.parseDouble(p.get("build_cpu_s")),
                        Double.parseDouble(p.get("build_wall_s")),
                        Double.parseDouble(p.get("rss_inputs_mb")),
                        Double.parseDouble(p.get("rss_after_build_mb")),
                        Double.parseDouble(p.get("rss_peak_mb")),
                        EXPECTED_SHA256.equals(p.get("sha256")) ? "OK" : "FAIL " + p.get("sha256"));
            }
            matcher = null;
            long c0 = threads.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            matcher = MetadataMatcher.build(entries);
            System.out.printf("repeat %d align build: %.2f s CPU (%.2f s wall); words=%d nodes=%d "
                            + "automaton=%.1f MB%n", r,
                    (threads.getCurrentThreadCpuTime() - c0) / 1e9, (System.nanoTime() - w0) / 1e9,
                    matcher.numWords(), matcher.numNodes(), matcher.sizeInBytes() / 1e6);
            if (r == 0) {
                buildHwm = vmHwmKb() / 1024.0;
            }
            double[] cpu = new double[passes + 1];
            double[] wall = new double[passes + 1];
            for (int pass = 0; pass <= passes; pass++) {
                c0 = threads.getCurrentThreadCpuTime();
                w0 = System.nanoTime();
                last = matcher.matchAll(captions, 1);
                cpu[pass] = captions.size() / ((threads.getCurrentThreadCpuTime() - c0) / 1e9);
                wall[pass] = captions.size() / ((System.nanoTime() - w0) / 1e9);
            }
            javaCpu[r] = median(Arrays.copyOfRange(cpu, 1, cpu.length));
            javaWall[r] = median(Arrays.copyOfRange(wall, 1, wall.length));
            System.out.printf("repeat %d align match, 1 thread: cold pass %.0f captions per CPU-s; "
                            + "warm passes median %.0f (min %.0f max %.0f) per CPU-s, median %.0f/s "
                            + "wall%s%n", r, cpu[0], javaCpu[r], min(cpu, 1), max(cpu, 1),
                    javaWall[r], peerCpu[r] > 0 ? String.format(
                            "; %.1fx the peer's per CPU-s", javaCpu[r] / peerCpu[r]) : "");
        }

        byte[] bytes = format(last);
        Files.write(outFile, bytes);
        String sha = sha256(bytes);
        long total = 0;
        for (int[] m : last) {
            total += m.length;
        }
        System.out.printf("matches=%d output=%s sha256=%s %s%n", total, outFile, sha,
                sha.equals(EXPECTED_SHA256) ? "OK (equals MetaCLIP)" : "FAIL, expected "
                        + EXPECTED_SHA256);

        System.out.printf("summary over %d repeats: align %s captions per CPU-s (median %.0f), "
                + "%s/s wall%n", repeats, list(javaCpu), median(javaCpu.clone()), list(javaWall));
        double peerRate = peer.equals("python") ? median(peerCpu.clone()) : givenPeerRate;
        if (peer.equals("python")) {
            System.out.printf("summary: peer %s captions per CPU-s (median %.0f)%n", list(peerCpu),
                    peerRate);
        }
        if (peerRate > 0) {
            System.out.printf("ratio align/peer per CPU-s: %.1fx (medians; goal 10x)%n",
                    median(javaCpu.clone()) / peerRate);
        }

        // 2 threads: the result must not change.
        long w0 = System.nanoTime();
        List<int[]> two = matcher.matchAll(captions, 2);
        System.out.printf("match, 2 threads (after the 1-thread passes): %.0f captions/s wall; "
                + "output %s%n", captions.size() / ((System.nanoTime() - w0) / 1e9),
                sameMatches(last, two) ? "identical" : "DIFFERENT");

        long[] pairIds = new long[last.size()];
        Arrays.setAll(pairIds, i -> i);
        long s = System.nanoTime();
        EntryCounts counts = EntryCounts.count(matcher.numEntries(), last);
        long s2 = System.nanoTime();
        List<BalanceDecision> decisions = new MetaClipBalancer(counts, 200, 0)
                .decideAll(pairIds, last, 1);
        long s3 = System.nanoTime();
        long kept = decisions.stream().filter(BalanceDecision::kept).count();
        System.out.printf("balance t=200: count %.3f s, decide %.3f s (1 thread), kept %d of %d%n",
                (s2 - s) / 1e9, (s3 - s2) / 1e9, kept, pairIds.length);

        long peakHeap = 0;
        long peakOld = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakHeap += pool.getPeakUsage().getUsed();
                if (pool.getName().contains("Old") || pool.getName().contains("Tenured")) {
                    peakOld = pool.getPeakUsage().getUsed();
                }
            }
        }
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long heapUsed = rt.totalMemory() - rt.freeMemory();
        System.out.printf("memory: automaton %.1f MB; heap held after GC %.1f MB (automaton, "
                        + "inputs and matches); peak heap: old generation %.0f MB, all pools' peaks "
                        + "summed (an upper bound) %.0f MB; max heap %.0f MB; process peak RSS "
                        + "(VmHWM) %.0f MB after reading the inputs, %.0f MB after the first build, "
                        + "%.0f MB at the end%n",
                matcher.sizeInBytes() / 1e6, heapUsed / 1e6, peakOld / 1e6, peakHeap / 1e6,
                rt.maxMemory() / 1e6, inputsHwm, buildHwm, vmHwmKb() / 1024.0);
        // keep the inputs and matches reachable until the heap was measured
        if (entries.size() + captions.size() + two.size() < 0) {
            System.out.println();
        }
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nusage: MatchBench INPUT_DIR [OUTPUT_FILE] [--repeats N] "
                + "[--passes N] [--peer python|none] [--peer-rate CAPTIONS_PER_CPU_S]");
        System.exit(2);
    }

    /** Runs the Python peer in a child process; its "key value" lines as a map. */
    private static Map<String, String> runPeer(Path dir) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("/usr/bin/python3", "-c", PEER_SCRIPT, dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = process.waitFor();
        Map<String, String> values = new HashMap<>();
        for (String line : output.split("\n")) {
            String[] kv = line.split(" ", 2);
            if (kv.length == 2) {
                values.put(kv[0], kv[1].trim());
            }
        }
        if (code != 0 || !values.containsKey("rss_peak_mb")) {
            throw new IllegalStateException("the peer failed (exit " + code + "); it needs "
                    + "/usr/bin/python3 and Debian's python3-ahocorasick, or pass --peer none:\n"
                    + output);
        }
        return values;
    }

    private static double median(double[] values) {
        Arrays.sort(values);
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static double min(double[] values, int from) {
        return Arrays.stream(values, from, values.length).min().orElse(Double.NaN);
    }

    private static double max(double[] values, int from) {
        return Arrays.stream(values, from, values.length).max().orElse(Double.NaN);
    }

    private static String list(double[] values) {
        StringBuilder sb = new StringBuilder("[");
        for (double v : values) {
            sb.append(sb.length() > 1 ? ", " : "").append(Math.round(v));
        }
        return sb.append(']').toString();
    }

    private static String loadAverage() throws IOException {
        Path file = Path.of("/proc/loadavg");
        return Files.exists(file) ? "load " + Files.readString(file).trim() : "load unknown";
    }

    private static boolean sameMatches(List<int[]> a, List<int[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads a UTF-8 file as lines split on {@code '\n'} only (as Python's file iteration does for
     * these inputs); a final newline does not start another line.
     *
     * @param file the file
     * @return its lines
     * @throws IOException if it cannot be read
     */
    public static List<String> readLines(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        int from = 0;
        for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', from)) {
            lines.add(text.substring(from, i));
            from = i + 1;
        }
        if (from < text.length()) {
            lines.add(text.substring(from));
        }
        return lines;
    }

    /**
     * Formats matches as MetaCLIP's benchmark output: per caption one line of ascending ids
     * separated by single spaces (empty for no match), each line ending in {@code '\n'}.
     *
     * @param matches per caption, its matched ids
     * @return the UTF-8 (ASCII) bytes
     */
    public static byte[] format(List<int[]> matches) {
        StringBuilder sb = new StringBuilder(matches.size() * 64);
        for (int[] m : matches) {
            for (int k = 0; k < m.length; k++) {
                if (k > 0) {
                    sb.append(' ');
                }
                sb.append(m[k]);
            }
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * @param bytes data
     * @return its sha256 as lowercase hex
     */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }

    private static long vmHwmKb() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
