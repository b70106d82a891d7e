package dev.align.curation.metaclip;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Benchmark of MetaCLIP matching and balancing on the inputs of
 * {@code shared/bench/metaclip_inputs.py} (see {@code tools/metaclip-inputs.sh}).
 *
 * <p>Usage: {@code MatchBench INPUT_DIR [OUTPUT_FILE]}. Reads {@code entries.txt} and
 * {@code captions.txt}, builds the matcher, matches every caption on 1 and 2 threads (one cold pass,
 * then warm passes), writes one line per caption (ascending ids separated by single spaces, an empty
 * line for no match), prints its sha256, then counts and balances with {@code t = 200}. Peak memory
 * is read from {@code /proc/self/status} (VmHWM) and from the heap after a full GC.
 */
public final class MatchBench {

    /** The sha256 of MetaCLIP's own output for the 200,000 benchmark captions. */
    public static final String EXPECTED_SHA256 =
            "84a85dec970838e3149b22de5c2731176b77f1bf0ff5b706f08e001fb708756a";

    private MatchBench() {}

    /**
     * Runs the benchmark.
     *
     * @param args input directory, then optionally the output file (default: INPUT_DIR/matches.txt)
     * @throws IOException if the inputs cannot be read or the output written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: MatchBench INPUT_DIR [OUTPUT_FILE]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Path outFile = args.length > 1 ? Path.of(args[1]) : dir.resolve("matches.txt");
        int warmPasses = Integer.getInteger("passes", 5);

        List<String> entries = readLines(dir.resolve("entries.txt"));
        List<String> captions = readLines(dir.resolve("captions.txt"));
        System.out.printf("entries=%d captions=%d%n", entries.size(), captions.size());

        long t0 = System.nanoTime();
        MetadataMatcher matcher = MetadataMatcher.build(entries);
        double buildS = (System.nanoTime() - t0) / 1e9;
        System.out.printf("build (cold JVM): %.3f s  words=%d nodes=%d automaton=%.1f MB%n",
                buildS, matcher.numWords(), matcher.numNodes(), matcher.sizeInBytes() / 1e6);

        List<int[]> reference = null;
        for (int threads : new int[] {1, 2}) {
            double[] rates = new double[warmPasses + 1];
            double[] cpuRates = new double[warmPasses + 1];
            for (int pass = 0; pass <= warmPasses; pass++) {
                long c = processCpuNanos();
                long s = System.nanoTime();
                List<int[]> out = matcher.matchAll(captions, threads);
                double secs = (System.nanoTime() - s) / 1e9;
                double cpuSecs = (processCpuNanos() - c) / 1e9;
                rates[pass] = captions.size() / secs / threads;
                cpuRates[pass] = captions.size() / cpuSecs;
                if (reference == null) {
                    reference = out;
                } else if (!sameMatches(reference, out)) {
                    throw new IllegalStateException("output differs with " + threads + " threads");
                }
            }
            double[] warm = Arrays.copyOfRange(rates, 1, rates.length);
            Arrays.sort(warm);
            double[] warmCpu = Arrays.copyOfRange(cpuRates, 1, cpuRates.length);
            Arrays.sort(warmCpu);
            System.out.printf("match threads=%d: per process-CPU-second: cold pass %.0f; warm "
                            + "passes min %.0f median %.0f max %.0f captions per CPU-s%n",
                    threads, cpuRates[0], warmCpu[0], warmCpu[warmCpu.length / 2],
                    warmCpu[warmCpu.length - 1]);
            System.out.printf("match threads=%d: cold pass %.0f captions/s/core; warm passes "
                            + "min %.0f median %.0f max %.0f captions/s/core (x%d cores = %.0f/s)%n",
                    threads, rates[0], warm[0], warm[warm.length / 2], warm[warm.length - 1],
                    threads, warm[warm.length / 2] * threads);
        }

        long t1 = System.nanoTime();
        MetadataMatcher rebuilt = MetadataMatcher.build(entries);
        System.out.printf("build (warm JVM): %.3f s (%d entries)%n",
                (System.nanoTime() - t1) / 1e9, rebuilt.numEntries());
        rebuilt = null;

        byte[] bytes = format(reference);
        Files.write(outFile, bytes);
        String sha = sha256(bytes);
        long total = 0;
        for (int[] m : reference) {
            total += m.length;
        }
        System.out.printf("matches=%d output=%s sha256=%s %s%n", total, outFile, sha,
                sha.equals(EXPECTED_SHA256) ? "OK (equals MetaCLIP)" : "MISMATCH, expected "
                        + EXPECTED_SHA256);

        long[] pairIds = new long[reference.size()];
        Arrays.setAll(pairIds, i -> i);
        for (int pass = 0; pass < 3; pass++) {
            long s = System.nanoTime();
            EntryCounts counts = EntryCounts.count(matcher.numEntries(), reference);
            long s2 = System.nanoTime();
            MetaClipBalancer balancer = new MetaClipBalancer(counts, 200, 0);
            List<BalanceDecision> decisions = balancer.decideAll(pairIds, reference, 1);
            long s3 = System.nanoTime();
            long kept = decisions.stream().filter(BalanceDecision::kept).count();
            System.out.printf("balance t=200 pass %d: count %.3f s, decide %.3f s (1 thread), "
                    + "kept %d of %d%n", pass, (s2 - s) / 1e9, (s3 - s2) / 1e9, kept, pairIds.length);
        }

        long hwm = vmHwmKb();
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long heapUsed = rt.totalMemory() - rt.freeMemory();
        System.out.printf("memory: VmHWM %.1f MB, heap used after GC %.1f MB "
                        + "(automaton %.1f MB + captions + matches), max heap %.0f MB, gc=%s%n",
                hwm / 1024.0, heapUsed / 1e6, matcher.sizeInBytes() / 1e6, rt.maxMemory() / 1e6,
                ManagementFactory.getGarbageCollectorMXBeans().get(0).getName());
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

    /** CPU time of the whole process (all threads, GC and JIT included), in nanoseconds. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
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
