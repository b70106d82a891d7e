package dev.align.benchmarks;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.align.core.io.FileTrees;
import dev.align.curation.dfn.DfnScorer;
import dev.align.data.text.BpeTokenizer;
import dev.align.eval.embed.ClipEmbedder;
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
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Serving speed through the public {@link ClipEmbedder}, the counterpart of
 * {@code bench/peer_embed.py}: a randomly initialised model of a preset (ViT-B-32 by default),
 * images and texts at several batch sizes (items/s, the median of timed calls, and at batch 1
 * the latency p50/p99), and DFN scoring against plain embedding of the same pairs. One JSON line
 * per measurement, with the cores other processes kept busy meanwhile ({@code foreign_cores},
 * as the peer and {@link MachineLoad} count them).
 *
 * <pre>{@code
 * java ... dev.align.benchmarks.ServingBench MODE [preset] [batches] [iterations] [photos]
 *   MODE: images | texts | texts-short | dfn
 * }</pre>
 * {@code texts} draws caption lengths as the peer draws its token rows (2 to 77 tokens, uniform),
 * {@code texts-short} as real alt-text (8 to 18 words); {@code dfn} scores 256 pairs (the photo
 * set's JPEGs if given, else synthetic PNGs) with the DFN scorer's fixed shapes and with plain
 * embedding, batch 64.
 */
public final class ServingBench {

    private ServingBench() {}

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "images";
        String preset = args.length > 1 ? args[1] : "ViT-B-32";
        int[] batches = Arrays.stream((args.length > 2 ? args[2] : "1,8,64,256").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int iterations = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        Path photos = args.length > 4 ? Path.of(args[4]) : null;
        ClipConfig c = ClipConfig.preset(preset);
        int ctx = c.text().contextLength();
        SplittableRandom rnd = new SplittableRandom(7);
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            StringBuilder w = new StringBuilder();
            for (int k = 0, n = 3 + rnd.nextInt(6); k < n; k++) {
                w.append((char) ('a' + rnd.nextInt(26)));
            }
            words.add(w.toString());
        }
        // A BPE with as many ids as the model has, trained on the same kind of text: nearly every
        // word becomes one token, so a caption of n words is n + 2 tokens.
        List<String> corpus = captions(rnd, words, 30_000, 5, 30);
        BpeTokenizer tokenizer = BpeTokenizer.train(corpus, Math.min(c.text().vocabSize(), 49_408), ctx);
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(c, manager, DataType.FLOAT32, 0);
            if (mode.equals("dfn")) {
                dfn(model, tokenizer, captions(rnd, words, 256, 8, 18), photos, iterations);
                return;
            }
            for (int b : batches) {
                try (ClipEmbedder embedder = ClipEmbedder.of(model, tokenizer, b)) {
                    Supplier<Object> call;
                    String what;
                    if (mode.equals("images")) {
                        List<BufferedImage> images = images(rnd, b, c.vision().imageSize());
                        call = () -> embedder.encodeImages(images);
                        what = "images";
                    } else {
                        boolean peerLike = mode.equals("texts");
                        List<String> texts = peerLike ? captions(rnd, words, b, 0, ctx - 2)
                                : captions(rnd, words, b, 8, 18);
                        call = () -> embedder.encodeTexts(texts);
                        what = peerLike ? "texts" : "texts-short";
                    }
                    measure(preset, what, b, iterations, call);
                }
            }
        }
    }

    /** Captions of {@code min..max} random words. */
    private static List<String> captions(SplittableRandom rnd, List<String> words, int n, int min,
            int max) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = min + rnd.nextInt(max - min + 1);
            StringBuilder s = new StringBuilder();
            for (int w = 0; w < len; w++) {
                s.append(w == 0 ? "" : " ").append(words.get(rnd.nextInt(words.size())));
            }
            out.add(s.toString());
        }
        return out;
    }

    private static List<BufferedImage> images(SplittableRandom rnd, int n, int size) {
        List<BufferedImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    img.setRGB(x, y, rnd.nextInt(1 << 24));
                }
            }
            out.add(img);
        }
        return out;
    }

    private static void measure(String preset, String what, int b, int iterations,
            Supplier<Object> call) {
        call.get();
        call.get();                                               // warm-up: JIT, allocator, MKL
        long[] ns = new long[iterations];
        MachineLoad.Window load = new MachineLoad.Window();
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            call.get();
            ns[i] = System.nanoTime() - t0;
        }
        double foreign = load.foreignCores();
        Arrays.sort(ns);
        double median = ns[iterations / 2] / 1e9;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "{\"who\": \"align\", \"preset\": \"%s\", \"what\": \"%s\", \"batch\": %d, "
                        + "\"per_second\": %.2f, \"best_per_second\": %.2f, \"foreign_cores\": %.2f",
                preset, what, b, b / median, b / (ns[0] / 1e9), foreign));
        if (b == 1) {
            int calls = Math.max(50, iterations);
            long[] lat = new long[calls];
            MachineLoad.Window l2 = new MachineLoad.Window();
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                call.get();
                lat[i] = System.nanoTime() - t0;
            }
            Arrays.sort(lat);
            line.append(String.format(Locale.ROOT, ", \"latency_ms_p50\": %.2f, \"latency_ms_p99\": %.2f, "
                    + "\"latency_calls\": %d, \"latency_foreign_cores\": %.2f", lat[calls / 2] / 1e6,
                    lat[(int) Math.ceil(calls * 0.99) - 1] / 1e6, calls, l2.foreignCores()));
        }
        System.out.println(line.append("}"));
    }

    /** DFN scoring (fixed shapes, pairs/s) against plain embedding of the same pairs. */
    private static void dfn(ClipModel model, BpeTokenizer tokenizer, List<String> captions,
            Path photos, int iterations) throws IOException {
        List<byte[]> images = new ArrayList<>();
        if (photos != null) {
            List<byte[]> jpegs = new ArrayList<>();
            try (Stream<Path> s = Files.list(photos)) {
                for (Path p : s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList()) {
                    jpegs.add(Files.readAllBytes(p));
                }
            }
            for (int i = 0; i < captions.size(); i++) {
                images.add(jpegs.get(i % jpegs.size()));
            }
        } else {
            SplittableRandom rnd = new SplittableRandom(3);
            for (BufferedImage img : images(rnd, captions.size(), 256)) {
                ByteArrayOutputStream png = new ByteArrayOutputStream();
                ImageIO.write(img, "png", png);
                images.add(png.toByteArray());
            }
        }
        int n = captions.size();
        int b = 64;
        // Through the real entry points: a model folder, DfnScorer.load and ClipEmbedder.open.
        Path dir = Files.createTempDirectory("serving-bench");
        Path tok = dir.resolve("tokenizer.json");
        tokenizer.save(tok);
        ModelBundle.write(dir.resolve("model"), model, tok, null);
        try (DfnScorer scorer = DfnScorer.load(dir.resolve("model"), b);
                ClipEmbedder plain = ClipEmbedder.builder(dir.resolve("model")).optBatchSize(b).build()) {
            scorer.score(images.subList(0, b), captions.subList(0, b));           // warm-up
            plain.encodeEncodedImages(images.subList(0, b));
            plain.encodeTexts(captions.subList(0, b));
            for (int round = 0; round < iterations; round++) {
                MachineLoad.Window l1 = new MachineLoad.Window();
                long t0 = System.nanoTime();
                scorer.score(images, captions);
                double dfn = n / ((System.nanoTime() - t0) / 1e9);
                double f1 = l1.foreignCores();
                MachineLoad.Window l2 = new MachineLoad.Window();
                long t1 = System.nanoTime();
                plain.encodeEncodedImages(images);
                plain.encodeTexts(captions);
                double embed = n / ((System.nanoTime() - t1) / 1e9);
                System.out.printf(Locale.ROOT, "{\"who\": \"align\", \"what\": \"dfn-vs-embed\", "
                        + "\"batch\": %d, \"pairs\": %d, \"round\": %d, \"dfn_pairs_per_second\": %.2f, "
                        + "\"embed_pairs_per_second\": %.2f, \"ratio\": %.3f, \"foreign_cores\": "
                        + "[%.2f, %.2f]}%n", b, n, round, dfn, embed, dfn / embed, f1, l2.foreignCores());
            }
        } finally {
            FileTrees.delete(dir);
        }
    }
}
