package dev.align.benchmarks;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.align.data.text.BpeTokenizer;
import dev.align.eval.embed.ClipEmbedder;
import dev.align.eval.embed.EmbeddingFailure;
import dev.align.eval.embed.EmbeddingResult;
import dev.align.models.clip.ClipModel;
import dev.align.models.config.ClipConfig;
import dev.align.models.io.ModelBundle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import javax.imageio.ImageIO;

/**
 * Soak test of embedding: {@link ClipEmbedder#encodeImageFiles} called from many threads at once
 * (8 by default) over a pool of image files of which a share cannot be read (cut PNGs, random
 * bytes, empty files, folders named like images, paths that do not exist), until a million images
 * (by default) have been embedded or rejected. The pool is cycled (2,000 distinct files by
 * default), every batch's failures are checked to be exactly its bad files, and resident memory,
 * live NDArrays (all managers of the process), the Java heap after a full GC and images per second
 * are sampled every {@code every} images. Each sample is taken with every call finished and none
 * started (a fair read-write lock: batches hold the read side, the sampler the write side), so
 * the live NDArray count and the heap are those of an idle embedder, not of whichever batches
 * happen to be in flight; throughput loses a little to these pauses. Writes {@code OUT/soak-embed.jsonl} and
 * {@code OUT/soak-embed.png}, prints the verdict of {@link SoakRecorder} and exits with 1 when the
 * run was not flat or a failure was wrong. Run it with {@code bench/soak embed}.
 *
 * <pre>EmbedSoak OUT [images=1000000] [threads=8] [batch=32] [files=2000] [every=10000]</pre>
 *
 * <p>The model is the {@code tiny} preset with random weights (what is measured is the library's
 * memory and throughput, not the embeddings), unless {@code -Dalign.soak.model=DIR} names a model
 * folder.
 */
public final class EmbedSoak {

    /** One file in twenty cannot be read. */
    private static final int BAD_EVERY = 20;

    private EmbedSoak() {}

    /** Runs the soak; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: EmbedSoak OUT [images=1000000] [threads=8] [batch=32] "
                    + "[files=2000] [every=10000]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        long total = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        int distinct = args.length > 4 ? Integer.parseInt(args[4]) : 2000;
        long every = args.length > 5 ? Long.parseLong(args[5]) : 10_000;
        Files.createDirectories(out);
        String configured = System.getProperty("align.soak.model");
        Path model = configured != null ? Path.of(configured) : tinyModel(out.resolve("model"));
        List<Path> files = new ArrayList<>();
        boolean[] bad = new boolean[distinct];
        writePool(out.resolve("images"), distinct, files, bad);
        long badFiles = 0;
        for (boolean b : bad) {
            badFiles += b ? 1 : 0;
        }
        System.err.printf(Locale.ROOT, "embed soak: %d images from %d threads in batches of %d, "
                + "cycling %d files of which %d are unreadable, sampling every %d images into %s%n",
                total, threads, batch, distinct, badFiles, every, out);

        SoakRecorder soak = new SoakRecorder("soak-embed", "image", "images/s", out);
        AtomicLong next = new AtomicLong();
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong wrong = new AtomicLong();
        AtomicLong nextSample = new AtomicLong(every);
        ReentrantReadWriteLock gate = new ReentrantReadWriteLock(true);
        try (NDManager probe = NDManager.newBaseManager();
                ClipEmbedder clip = ClipEmbedder.builder(model).optBatchSize(batch).build()) {
            NDManager system = probe.getParentManager();
            soak.sample(0, 1, system.getManagedArrays().size());
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    while (true) {
                        long now;
                        gate.readLock().lock();
                        try {
                            long from = next.getAndAdd(batch);
                            if (from >= total) {
                                return null;
                            }
                            int n = (int) Math.min(batch, total - from);
                            failed.addAndGet(embedBatch(clip, files, bad, from, n, wrong));
                            now = done.addAndGet(n);
                        } finally {
                            gate.readLock().unlock();
                        }
                        long due = nextSample.get();
                        if (now >= due && nextSample.compareAndSet(due, due + every)) {
                            gate.writeLock().lock();             // every batch done, none started
                            try {
                                SoakRecorder.Sample s = soak.sample(done.get(), 1,
                                        system.getManagedArrays().size());
                                if (due % (every * 10) == 0) {
                                    System.err.println("embed soak: " + SoakRecorder.json(s));
                                }
                            } finally {
                                gate.writeLock().unlock();
                            }
                        }
                    }
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
            pool.shutdown();
            soak.sample(done.get(), 1, system.getManagedArrays().size());
        }
        SoakRecorder.Verdict v = soak.finish("embed soak (tiny, " + threads + " threads)");
        System.out.println(v.summary());
        System.out.printf(Locale.ROOT, "embedded %d, rejected %d (expected %d), batches whose "
                + "failures were not exactly their bad files: %d%n", done.get() - failed.get(),
                failed.get(), expectedFailures(total, distinct, bad), wrong.get());
        System.out.println("files: " + out.resolve("soak-embed.jsonl") + ", "
                + out.resolve("soak-embed.png"));
        System.exit(v.flat() && wrong.get() == 0 ? 0 : 1);
    }

    /**
     * Embeds images {@code from .. from + n} of the cycled pool; counts a batch whose failures are
     * not exactly its bad files in {@code wrong}; returns the number of failures.
     */
    private static int embedBatch(ClipEmbedder clip, List<Path> files, boolean[] bad, long from,
            int n, AtomicLong wrong) {
        List<Path> paths = new ArrayList<>(n);
        boolean[] expectBad = new boolean[n];
        for (int i = 0; i < n; i++) {
            int f = (int) ((from + i) % files.size());
            paths.add(files.get(f));
            expectBad[i] = bad[f];
        }
        EmbeddingResult r = clip.encodeImageFiles(paths);
        boolean[] gotBad = new boolean[n];
        for (EmbeddingFailure f : r.failures()) {
            gotBad[f.index()] = true;
        }
        if (!Arrays.equals(expectBad, gotBad)) {
            wrong.incrementAndGet();
        }
        return r.failures().size();
    }

    private static long expectedFailures(long total, int distinct, boolean[] bad) {
        long n = 0;
        for (int f = 0; f < distinct; f++) {
            if (bad[f]) {
                n += total / distinct + (f < total % distinct ? 1 : 0);
            }
        }
        return n;
    }

    /** A random-weight tiny model with a tokenizer, as a model folder. */
    private static Path tinyModel(Path dir) throws IOException {
        if (Files.exists(dir.resolve(ModelBundle.WEIGHTS))) {
            return dir;
        }
        ClipConfig c = ClipConfig.preset("tiny");
        Path tokenizer = dir.resolveSibling("soak-tokenizer.json");
        BpeTokenizer.train(List.of("a photo of a red cat", "a blue square", "the green disc"),
                600, c.text().contextLength()).save(tokenizer);
        try (NDManager m = NDManager.newBaseManager()) {
            ModelBundle.write(dir, ClipModel.create(c, m, DataType.FLOAT32, 7), tokenizer, null);
        }
        return dir;
    }

    /** Good PNGs and JPEGs of assorted sizes, and one bad file in {@value #BAD_EVERY}. */
    private static void writePool(Path dir, int distinct, List<Path> files, boolean[] bad)
            throws IOException {
        Files.createDirectories(dir);
        Random r = new Random(1);
        for (int i = 0; i < distinct; i++) {
            boolean jpg = i % 3 == 0;
            Path p = dir.resolve(String.format("%06d.%s", i, jpg ? "jpg" : "png"));
            files.add(p);
            if (i % BAD_EVERY == BAD_EVERY - 1) {
                bad[i] = true;
                Files.deleteIfExists(p);
                switch ((i / BAD_EVERY) % 5) {
                    case 0 -> Files.write(p, Arrays.copyOf(image(r, 40, 30, "png"), 60));
                    case 1 -> {
                        byte[] noise = new byte[500];
                        r.nextBytes(noise);
                        Files.write(p, noise);
                    }
                    case 2 -> Files.write(p, new byte[0]);
                    case 3 -> Files.createDirectories(p);
                    default -> { }                                   // never created: missing
                }
            } else if (!Files.exists(p)) {
                Files.write(p, image(r, 24 + r.nextInt(100), 24 + r.nextInt(100), jpg ? "jpg" : "png"));
            }
        }
    }

    private static byte[] image(Random r, int w, int h, String format) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, format, out);
        return out.toByteArray();
    }
}
