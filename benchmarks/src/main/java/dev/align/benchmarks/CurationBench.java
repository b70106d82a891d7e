package dev.align.benchmarks;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.align.curation.dfn.DfnScorer;
import dev.align.curation.metaclip.BalanceDecision;
import dev.align.curation.metaclip.EntryCounts;
import dev.align.curation.metaclip.MatchBench;
import dev.align.curation.metaclip.MetaClipBalancer;
import dev.align.curation.metaclip.MetadataMatcher;
import dev.align.curation.metaclip.PairIds;
import dev.align.curation.rules.AlignRules;
import dev.align.curation.rules.AlignRulesConfig;
import dev.align.data.text.BpeTokenizer;
import dev.align.models.clip.ClipModel;
import dev.align.models.config.ClipConfig;
import dev.align.models.io.ModelBundle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * End-to-end local curation speed, a plain main (not JMH: one pass over a 1M pool is the unit).
 *
 * <p>Part 1, captions only: a 1,000,000-caption pool made from MetaCLIP's benchmark inputs
 * ({@code tools/metaclip-inputs.sh}; 200,000 captions, 500,000 entries): caption {@code i} is the
 * first half of input caption {@code i mod 200k} followed by the second half of caption
 * {@code (7919 i) mod 200k}, so the pool is mostly distinct with the inputs' density of matches.
 * It runs ALIGN's caption rules (count + decide; defaults), MetaCLIP matching, entry counts and
 * balancing ({@code t = 20,000}, coins from {@link PairIds}) and reports pairs/s per phase and end to end.
 *
 * <p>Part 2: DFN scoring pairs/s (decode + OpenCLIP eval transform + tokenize + both towers +
 * cosine) of random-weight {@code tiny} and {@code small} models on synthetic 128x96 PNG images,
 * batch 64.
 *
 * <p>Usage: {@code CurationBench [INPUT_DIR] [THREADS]}; INPUT_DIR defaults to
 * {@code ~/.cache/align/metaclip-inputs}.
 */
public final class CurationBench {

    private CurationBench() {}

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0])
                : Path.of(System.getProperty("user.home"), ".cache/align/metaclip-inputs");
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        if (Files.exists(dir.resolve("captions.txt"))) {
            captionPool(dir, threads);
        } else {
            System.out.println("no MetaCLIP inputs in " + dir + " (run tools/metaclip-inputs.sh); "
                    + "skipping the 1M-caption part");
        }
        for (String preset : List.of("tiny", "small")) {
            dfn(preset);
        }
    }

    private static void captionPool(Path dir, int threads) throws IOException {
        List<String> entries = MatchBench.readLines(dir.resolve("entries.txt"));
        List<String> inputs = MatchBench.readLines(dir.resolve("captions.txt"));
        int n = 1_000_000;
        List<String> captions = new ArrayList<>(n);
        List<String> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String a = inputs.get(i % inputs.size());
            String b = inputs.get((int) ((7919L * i) % inputs.size()));
            captions.add(a.substring(0, a.length() / 2) + b.substring(b.length() / 2));
            keys.add(String.format("%09d", i));
        }
        System.out.printf(Locale.ROOT, "pool: %d captions, %d metadata entries, %d threads%n", n,
                entries.size(), threads);
        long t0 = System.nanoTime();
        AlignRules rules = new AlignRules(AlignRulesConfig.defaults());
        AlignRules.Counts counts = rules.count(captions, null);
        boolean[] alive = new boolean[n];
        int aliveCount = 0;
        for (int i = 0; i < n; i++) {
            alive[i] = counts.hits(captions.get(i), null).isEmpty();
            aliveCount += alive[i] ? 1 : 0;
        }
        long t1 = System.nanoTime();
        report("align caption rules (count + decide)", n, t1 - t0, aliveCount + " kept, "
                + counts.distinctTokens() + " distinct unigrams+bigrams");
        List<String> kept = new ArrayList<>(aliveCount);
        long[] ids = new long[aliveCount];
        for (int i = 0, k = 0; i < n; i++) {
            if (alive[i]) {
                kept.add(captions.get(i));
                ids[k++] = PairIds.of(keys.get(i));
            }
        }
        long t2 = System.nanoTime();
        MetadataMatcher matcher = MetadataMatcher.build(entries);
        long t3 = System.nanoTime();
        report("metaclip matcher build", entries.size(), t3 - t2, "entries/s");
        List<int[]> matches = matcher.matchAll(kept, threads);
        long t4 = System.nanoTime();
        EntryCounts entryCounts = EntryCounts.count(matcher.numEntries(), matches);
        report("metaclip match + pair ids", kept.size(), t4 - t3 + (t2 - t1),
                entryCounts.totalMatches() + " matches");
        long t5 = System.nanoTime();
        List<BalanceDecision> decisions = new MetaClipBalancer(entryCounts, 20_000, 0)
                .decideAll(ids, matches, threads);
        long t6 = System.nanoTime();
        long out = decisions.stream().filter(BalanceDecision::kept).count();
        report("metaclip count + balance", kept.size(), t6 - t4, out + " kept");
        report("END TO END (rules + match + balance)", n, t6 - t0, out + " of " + n + " kept");
    }

    private static void dfn(String preset) throws IOException {
        Path dir = Files.createTempDirectory("dfn-bench-" + preset);
        ClipConfig config = ClipConfig.preset(preset);
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelBundle.write(dir, ClipModel.create(config, manager, DataType.FLOAT32, 1), null, null);
        }
        Random r = new Random(1);
        String[] words = {"red", "green", "blue", "disc", "square", "cross", "photo", "of", "a",
            "the", "small", "large", "top", "left", "right", "bottom", "dog", "cat", "car", "tree"};
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < 512; i++) {
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < 4 + r.nextInt(12); w++) {
                sb.append(w == 0 ? "" : " ").append(words[r.nextInt(words.length)]);
            }
            captions.add(sb.toString());
        }
        BpeTokenizer.train(captions, Math.min(config.text().vocabSize(), 1000),
                config.text().contextLength()).save(dir.resolve(ModelBundle.TOKENIZER));
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < 512; i++) {
            BufferedImage img = new BufferedImage(128, 96, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 96; y++) {
                for (int x = 0; x < 128; x++) {
                    img.setRGB(x, y, (x * 2 + i) << 16 | (y * 2) << 8 | ((x + y + i) & 255));
                }
            }
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(img, "png", png);
            images.add(png.toByteArray());
        }
        try (DfnScorer scorer = DfnScorer.load(dir, 64)) {
            scorer.score(images.subList(0, 128), captions.subList(0, 128)); // warm-up
            long t0 = System.nanoTime();
            float[] scores = scorer.score(images, captions);
            long t1 = System.nanoTime();
            report("dfn score, " + preset + ", batch 64", scores.length, t1 - t0, "pairs/s");
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void report(String what, long items, long nanos, String note) {
        double s = nanos / 1e9;
        System.out.printf(Locale.ROOT, "%-40s %9d in %7.2f s = %,10.0f /s   (%s)%n", what, items, s,
                items / s, note);
    }
}
