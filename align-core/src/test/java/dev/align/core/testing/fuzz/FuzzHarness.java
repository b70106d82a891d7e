package dev.align.core.testing.fuzz;

import dev.align.core.SplitMix64;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.Random;
import java.util.function.Function;
import java.util.function.LongUnaryOperator;
import java.util.function.Predicate;

/**
 * Runs a parser on one fuzz input and enforces what it may do: return, or throw one of its
 * documented exceptions with a message; never another exception or error (a
 * {@code NullPointerException}, {@code ArrayIndexOutOfBoundsException},
 * {@code NegativeArraySizeException}, {@code OutOfMemoryError}, ...), never run past a timeout
 * (a hang), never allocate more than a stated bound on the parsing thread (measured with
 * HotSpot's per-thread allocation counter, so the bound covers every temporary buffer, not just
 * what survives; code that parses on other threads adds theirs with {@link #addAllocated}).
 *
 * <p>{@link #check} runs a property: {@value #TRIES_PROPERTY} inputs (default 300, a few seconds
 * per parser in every build; the long run passes 100,000), input {@code i} generated from its own
 * seed, {@code base ^ (i * golden ratio)}, with {@code base} from {@value #SEED_PROPERTY} (default
 * 0, so every build checks the same inputs; {@code random} picks one) mixed with the parser's
 * name. A violation fails the test with the input's seed (rerun it alone with
 * {@code -Dalign.fuzz.seed=SEED -Dalign.fuzz.tries=1}) and the input saved under
 * {@code target/fuzz-failures/} (inlined as base64 when small). Outcomes are counted per parser;
 * {@link #summary} and {@link #writeReport} give the counts, the most frequent message shapes (to
 * judge that messages are clear), the largest allocation and the slowest input.
 */
public final class FuzzHarness {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final ThreadLocal<long[]> EXTRA = ThreadLocal.withInitial(() -> new long[1]);
    /** System property: inputs per property. */
    public static final String TRIES_PROPERTY = "align.fuzz.tries";
    /** System property: the base seed, a number or {@code random}. */
    public static final String SEED_PROPERTY = "align.fuzz.seed";

    /** What a parse does with an input. */
    @FunctionalInterface
    public interface Parse {
        /** Parses; returns normally, or throws. */
        void run() throws Exception;
    }

    private final String parser;
    private final Duration timeout;
    private final LongUnaryOperator maxAllocatedBytes;
    private final String bound;
    private final List<Class<? extends Throwable>> documented;
    private final Predicate<String> clearMessage;
    private final boolean keepInputOnCrash;
    private ExecutorService worker = newWorker();

    private long inputs;
    private long returned;
    private final Map<String, Long> outcomes = new TreeMap<>();
    private final Map<String, Long> shapes = new HashMap<>();
    private long maxAllocated;
    private long maxNanos;
    private long totalNanos;

    private FuzzHarness(Builder b) {
        this.parser = b.parser;
        this.timeout = b.timeout;
        this.maxAllocatedBytes = b.maxAllocatedBytes;
        this.bound = b.bound;
        this.documented = List.copyOf(b.documented);
        this.clearMessage = b.clearMessage;
        this.keepInputOnCrash = b.keepInputOnCrash;
        if (!THREADS.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM cannot count allocated bytes per thread");
        }
        THREADS.setThreadAllocatedMemoryEnabled(true);
    }

    /** Starts describing the harness of one parser. */
    public static Builder builder(String parser) {
        return new Builder(parser);
    }

    /** How one parser may behave. */
    public static final class Builder {
        private final String parser;
        private Duration timeout = Duration.ofSeconds(20);
        private LongUnaryOperator maxAllocatedBytes = n -> 64L * n + (64L << 20);
        private String bound = "64 x input + 64 MiB";
        private final List<Class<? extends Throwable>> documented = new ArrayList<>();
        /** At least 8 characters, and not a bare {@code null} from an unexpected exception's message. */
        private Predicate<String> clearMessage = m -> m != null && m.strip().length() >= 8
                && !m.endsWith(": null") && !m.contains("Input length =");
        private boolean keepInputOnCrash;

        private Builder(String parser) {
            this.parser = parser;
        }

        /** An exception type the parser documents for bad input (subclasses included). */
        public Builder allows(Class<? extends Throwable> type) {
            documented.add(type);
            return this;
        }

        /** The longest a single input may take. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /**
         * The most bytes a parse may allocate, as a function of the input's length.
         *
         * @param description the bound in words, for the report
         */
        public Builder maxAllocated(LongUnaryOperator bytesForInputLength, String description) {
            this.maxAllocatedBytes = bytesForInputLength;
            this.bound = description;
            return this;
        }

        /** What a documented exception's message must satisfy (default: 8+ characters). */
        public Builder clearMessage(Predicate<String> test) {
            this.clearMessage = test;
            return this;
        }

        /**
         * Writes each input to {@code target/fuzz-failures/PARSER-in-progress.bin} before parsing
         * it (and removes it after), so that when native code aborts the whole JVM the input that
         * did it is on disk.
         */
        public Builder keepInputOnCrash() {
            this.keepInputOnCrash = true;
            return this;
        }

        /** The harness. */
        public FuzzHarness build() {
            return new FuzzHarness(this);
        }
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /** What a property does with one generated input. */
    @FunctionalInterface
    public interface InputParse {
        /** Parses {@code input}; returns normally, or throws. */
        void parse(byte[] input) throws Exception;
    }

    /** Inputs per property: {@value #TRIES_PROPERTY}, default 300. */
    public static int tries() {
        return Integer.getInteger(TRIES_PROPERTY, 300);
    }

    /**
     * Runs the property: {@link #tries()} generated inputs through {@link #run}.
     *
     * @param generator makes an input from its seeded random source
     * @param parse what the parser does with it
     */
    public void check(Function<Random, byte[]> generator, InputParse parse) {
        String configured = System.getProperty(SEED_PROPERTY, "0");
        long base = configured.equals("random") ? System.nanoTime() : Long.parseLong(configured);
        if (configured.equals("random")) {
            System.out.println("fuzz " + parser + ": base seed " + base);
        }
        long mixed = base ^ parser.hashCode();
        int n = tries();
        for (int i = 0; i < n; i++) {
            long seed = i == 0 && n == 1 ? base : mixed ^ (i * SplitMix64.GOLDEN_GAMMA);
            if (i > 0 && i % 10_000 == 0) {
                System.out.printf(Locale.ROOT, "fuzz %s: %,d inputs so far%n", parser, i);
            }
            byte[] input = generator.apply(new Random(seed));
            try {
                run(input, () -> parse.parse(input));
            } catch (AssertionError e) {
                AssertionError withSeed = new AssertionError(e.getMessage()
                        + "\n  seed " + seed + " (rerun alone: -D" + SEED_PROPERTY + "=" + seed
                        + " -D" + TRIES_PROPERTY + "=1)", e.getCause());
                throw withSeed;
            }
        }
    }

    /** Called by a parse to count bytes allocated on threads other than the parsing one. */
    public static void addAllocated(long bytes) {
        EXTRA.get()[0] += bytes;
    }

    /** Bytes allocated so far by a thread (HotSpot's counter), or 0 when it has ended. */
    public static long allocatedBy(Thread thread) {
        long n = THREADS.getThreadAllocatedBytes(thread.getId());
        return Math.max(n, 0);
    }

    private record Result(Throwable thrown, long allocated, long nanos) {}

    /**
     * Parses one input and checks the outcome.
     *
     * @param input the bytes (saved when the check fails)
     * @param parse what to do with them
     * @throws AssertionError on a forbidden exception, a message that is not clear, a hang or an
     *     allocation over the bound
     */
    public synchronized void run(byte[] input, Parse parse) {
        Path inProgress = Path.of("target", "fuzz-failures", fileName(parser) + "-in-progress.bin");
        if (keepInputOnCrash) {
            try {
                Files.createDirectories(inProgress.getParent());
                Files.write(inProgress, input);
            } catch (IOException e) {
                throw new IllegalStateException("cannot record the input in progress", e);
            }
        }
        try {
            runRecorded(input, parse);
        } finally {
            if (keepInputOnCrash) {
                try {
                    Files.deleteIfExists(inProgress);
                } catch (IOException e) {
                    // the next input overwrites it
                }
            }
        }
    }

    private void runRecorded(byte[] input, Parse parse) {
        Future<Result> future = worker.submit(() -> {
            long[] extra = EXTRA.get();
            extra[0] = 0;
            long id = Thread.currentThread().getId();
            long before = THREADS.getThreadAllocatedBytes(id);
            long t0 = System.nanoTime();
            Throwable thrown = null;
            try {
                parse.run();
            } catch (Throwable t) {
                thrown = t;
            }
            long nanos = System.nanoTime() - t0;
            return new Result(thrown, THREADS.getThreadAllocatedBytes(id) - before + extra[0],
                    nanos);
        });
        Result r;
        try {
            r = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            worker.shutdownNow();
            worker = newWorker();             // the stuck thread is abandoned (it is a daemon)
            throw failure(input, "no result after " + timeout.toSeconds() + " s (a hang?)", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw failure(input, "the harness failed", e.getCause());
        }
        inputs++;
        totalNanos += r.nanos;
        maxNanos = Math.max(maxNanos, r.nanos);
        maxAllocated = Math.max(maxAllocated, r.allocated);
        long limit = maxAllocatedBytes.applyAsLong(input.length);
        if (r.allocated > limit) {
            throw failure(input, String.format(Locale.ROOT, "allocated %,d bytes, over the bound "
                    + "of %,d (%s) for %,d input bytes", r.allocated, limit, bound, input.length),
                    r.thrown);
        }
        if (r.thrown == null) {
            returned++;
            outcomes.merge("returned", 1L, Long::sum);
            return;
        }
        Throwable t = r.thrown;
        boolean allowed = documented.stream().anyMatch(c -> c.isInstance(t));
        if (!allowed) {
            throw failure(input, "threw " + t.getClass().getName() + ", which is not one of "
                    + documented.stream().map(Class::getSimpleName).toList(), t);
        }
        if (!clearMessage.test(t.getMessage())) {
            throw failure(input, "threw " + t.getClass().getSimpleName()
                    + " without a clear message: '" + t.getMessage() + "'", t);
        }
        outcomes.merge(t.getClass().getSimpleName(), 1L, Long::sum);
        shapes.merge(shape(t.getMessage()), 1L, Long::sum);
    }

    /** The message with numbers blurred and temp paths cut, so similar messages count together. */
    private static String shape(String message) {
        String m = message.replaceAll("/[^\\s:,']*/", "…/").replaceAll("[0-9]+", "#");
        return m.length() > 110 ? m.substring(0, 110) + "…" : m;
    }

    private AssertionError failure(byte[] input, String what, Throwable cause) {
        String saved = save(input);
        String inline = input.length <= 2048
                ? "\n  input (base64): " + Base64.getEncoder().encodeToString(input) : "";
        String trace = "";
        if (cause != null) {
            StringWriter w = new StringWriter();
            cause.printStackTrace(new PrintWriter(w));
            trace = "\n" + w;
        }
        AssertionError e = new AssertionError(String.format(Locale.ROOT,
                "fuzz %s: %s\n  input: %,d bytes saved as %s%s%s", parser, what, input.length,
                saved, inline, trace));
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    private String save(byte[] input) {
        try {
            Path dir = Path.of("target", "fuzz-failures");
            Files.createDirectories(dir);
            Path file = dir.resolve(fileName(parser) + "-" + sha256(input).substring(0, 12) + ".bin");
            Files.write(file, input);
            return file.toAbsolutePath().toString();
        } catch (IOException e) {
            return "(not saved: " + e + ")";
        }
    }

    private static String fileName(String parser) {
        return parser.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Inputs checked so far. */
    public synchronized long inputs() {
        return inputs;
    }

    /** Outcome counts: {@code returned} and one entry per documented exception type. */
    public synchronized Map<String, Long> outcomes() {
        return Map.copyOf(outcomes);
    }

    /** The counts, the bound and the most frequent message shapes, as text. */
    public synchronized String summary() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "fuzz %s: %,d inputs, %,d returned, outcomes %s; max allocated %,d bytes (bound "
                        + "%s), slowest %.1f ms, mean %.3f ms%n", parser, inputs, returned,
                outcomes, maxAllocated, bound, maxNanos / 1e6,
                inputs == 0 ? 0 : totalNanos / 1e6 / inputs));
        shapes.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                .forEach(e -> sb.append(String.format(Locale.ROOT, "  %,9d  %s%n", e.getValue(),
                        e.getKey())));
        return sb.toString();
    }

    /** Prints {@link #summary} and writes the counts to {@code target/fuzz-reports/PARSER.json}. */
    public synchronized void writeReport() {
        System.out.print(summary());
        StringBuilder json = new StringBuilder("{");
        json.append("\"parser\": \"").append(parser).append("\", \"inputs\": ").append(inputs)
                .append(", \"returned\": ").append(returned).append(", \"outcomes\": {");
        String sep = "";
        for (Map.Entry<String, Long> e : outcomes.entrySet()) {
            json.append(sep).append('"').append(e.getKey()).append("\": ").append(e.getValue());
            sep = ", ";
        }
        json.append("}, \"maxAllocatedBytes\": ").append(maxAllocated)
                .append(", \"bound\": \"").append(bound).append("\", \"slowestMillis\": ")
                .append(String.format(Locale.ROOT, "%.1f", maxNanos / 1e6))
                .append(", \"meanMillis\": ")
                .append(String.format(Locale.ROOT, "%.3f", inputs == 0 ? 0 : totalNanos / 1e6 / inputs))
                .append("}\n");
        try {
            Path dir = Path.of("target", "fuzz-reports");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(fileName(parser) + ".json"), json,
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.out.println("fuzz " + parser + ": cannot write the report: " + e);
        }
    }
}
