package dev.align.cli;

import dev.align.core.Checks;
import dev.align.core.io.AtomicFiles;
import dev.align.core.io.FileTrees;
import dev.align.core.json.Json;
import dev.align.data.image.ImageTransform;
import dev.align.data.imports.EmojiImporter;
import dev.align.data.imports.SyntheticImporter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The main job: the most complete path align has, as the commands a user would type, printed as
 * they run. {@code --data synthetic} (the default, no download, under 4 minutes on 2 quiet cores)
 * imports procedural image-text pairs into WebDataset shards with a BPE tokenizer trained on their
 * captions, trains the {@code tiny} dual encoder from scratch on them, classifies the set's
 * held-out images zero-shot among its 48 colour-and-shape classes and searches them by text.
 * {@code --data emoji} (about 10 minutes; the sets are fetched by npm on first use) trains on the
 * Google and Twitter emoji with the recipe of the README's recipe study and evaluates zero-shot
 * and retrieval on OpenMoji, a drawing style training never saw.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Import image-text shards, train a dual encoder on them from scratch, then "
                + "evaluate it zero-shot and search with it: synthetic (default, no download, "
                + "under 4 min on 2 cores) or emoji (real drawings, evaluated on OpenMoji, ~10 min).")
final class DemoCommand implements Callable<Integer> {

    /** What the demo trains on. */
    enum Data {
        /** Procedural coloured shapes, no download. */
        synthetic,
        /** Google + Twitter emoji, evaluated on OpenMoji. */
        emoji
    }

    @Option(names = "--data", defaultValue = "synthetic", paramLabel = "SET",
            description = "synthetic or emoji (default: ${DEFAULT-VALUE}).")
    Data data;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output folder (default: runs/demo, or runs/demo-emoji for --data "
                    + "emoji); an earlier demo there is replaced, but imported emoji data is kept "
                    + "and reused.")
    Path out;

    @Option(names = "--count", defaultValue = "8000",
            description = "synthetic: training pairs to generate (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--steps", paramLabel = "N",
            description = "Training steps (default: " + SYNTHETIC_STEPS + " synthetic, "
                    + EMOJI_STEPS + " emoji).")
    Long steps;

    @Option(names = "--batch", paramLabel = "N",
            description = "Global batch (default: " + SYNTHETIC_BATCH + " synthetic, "
                    + EMOJI_BATCH + " emoji).")
    Integer batch;

    @Option(names = "--crop", defaultValue = "RANDOM_RESIZED", paramLabel = "CROP",
            description = "synthetic: training crop, RANDOM_RESIZED (OpenCLIP's augmentation) or "
                    + "CENTER (the image as drawn, as evaluation sees it; more learned per step, "
                    + "see benchmarks/README.md) (default: ${DEFAULT-VALUE}).")
    ImageTransform.Crop crop;

    @Option(names = "--styles", paramLabel = "google,twitter", defaultValue = EMOJI_STYLES,
            description = "emoji: whose drawings to train on, any of google, twitter, apple, "
                    + "facebook (Apple's and Facebook's art is not free to redistribute: fetched "
                    + "into the cache only). Default ${DEFAULT-VALUE}.")
    String styles;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of data and training (default: ${DEFAULT-VALUE}).")
    long seed;

    // Measured (benchmarks/README.md, "The demo"): the old 400 x 128 stopped at 38% because the
    // model was undertrained, not because circles cannot be drawn at 32 px: 700 x 128 gave 65%,
    // 900 x 128 82-86%. Batch 128 beats 64 and 256 at the same samples. ALIGN's label smoothing
    // (0.1) learns more per step on these captions, many of which describe the same colour and
    // shape in one batch: at 450 steps 55-58% against 43-47% without it (seeds 0 and 1), 69-72%
    // at 560 and 82-83% at 700.
    static final long SYNTHETIC_STEPS = 700;
    static final int SYNTHETIC_BATCH = 128;
    static final double SYNTHETIC_LR = 1e-3;
    static final double SYNTHETIC_LABEL_SMOOTHING = 0.1;
    /**
     * Tokens per synthetic caption: the longest of the 8,000 captions is 13 with start and end
     * (counted with the import's own tokenizer), so 16 loses nothing; training cuts every batch
     * to its longest caption anyway.
     */
    static final int SYNTHETIC_CONTEXT = 16;
    // The recipe study's choice (benchmarks/README.md): label smoothing 0.1 (OpenMoji shared
    // top-1 1.58% / 1.45%, retrieval R@1 1.52% / 1.62%, seeds 0 / 1, against 0.87% / 0.95% and
    // 1.12% / 1.00% without it), and at 204,800 samples, about 10 minutes on
    // 2 quiet cores, batch 128 beat 256 and 64 on OpenMoji zero-shot and retrieval.
    static final long EMOJI_STEPS = 1600;
    static final String EMOJI_STYLES = "google,twitter";
    static final int EMOJI_BATCH = 128;
    private static final int EMOJI_STEPS_AFTER_IMPORT = 4;

    /** One command of the demo: what it shows, and its arguments to {@code ./align}. */
    private record Step(String what, List<String> args) {}

    @Override
    public Integer call() throws IOException {
        Path dir = out != null ? out : Path.of(data == Data.emoji ? "runs/demo-emoji" : "runs/demo");
        replaceEarlierDemo(dir);
        Files.createDirectories(dir);
        if (data == Data.synthetic) {
            List<Step> plan = synthetic(dir);
            run(plan, 0, plan.size());
        } else {
            List<EmojiImporter.Style> chosen = EmojiImporter.Style.parseList(styles);
            Path emoji = dir.resolve(emojiFolder(chosen));
            List<Step> imports = emojiImports(dir, emoji, chosen);  // the rest needs their shards
            int total = imports.size() + EMOJI_STEPS_AFTER_IMPORT;
            run(imports, 0, total);
            run(emoji(dir, emoji), imports.size(), total);
        }
        System.out.printf(Locale.ROOT, "%ndemo done in %s since the JVM started: the run "
                + "(training.png, eval.jsonl), the reports, the per-class plot and the search "
                + "contact sheet are in %s%n",
                took(ManagementFactory.getRuntimeMXBean().getUptime() / 1e3, cpuSeconds()), dir);
        return 0;
    }

    /**
     * Runs {@code steps} as {@code ./align} commands, echoing each and the wall and CPU seconds it
     * took; stops at a failure.
     */
    private static void run(List<Step> steps, int done, int total) {
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            System.out.printf(Locale.ROOT, "%n[%d/%d] %s%n$ ./align %s%n", done + i + 1, total,
                    s.what(), String.join(" ", s.args()));
            long start = System.nanoTime();
            double cpuStart = cpuSeconds();
            int status = Main.run(s.args().toArray(String[]::new));
            Checks.checkState(status == 0, "step %s (./align %s) failed with status %s",
                    done + i + 1, String.join(" ", s.args()), status);
            System.out.printf(Locale.ROOT, "[%d/%d] took %s%n", done + i + 1, total,
                    took((System.nanoTime() - start) / 1e9, cpuSeconds() - cpuStart));
        }
    }

    /** "12.3 s (20.1 CPU-s)", or the wall time alone where the JVM cannot tell CPU time. */
    static String took(double wallSeconds, double cpuSeconds) {
        return Double.isNaN(cpuSeconds)
                ? String.format(Locale.ROOT, "%.1f s", wallSeconds)
                : String.format(Locale.ROOT, "%.1f s (%.1f CPU-s)", wallSeconds, cpuSeconds);
    }

    /** CPU seconds of this process so far, every thread (libtorch's included), or NaN. */
    private static double cpuSeconds() {
        long nanos = ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
        return nanos < 0 ? Double.NaN : nanos / 1e9;
    }

    private List<Step> synthetic(Path dir) throws IOException {
        long n = steps != null ? steps : SYNTHETIC_STEPS;
        int b = batch != null ? batch : SYNTHETIC_BATCH;
        Path shards = dir.resolve("data");
        Path run = dir.resolve("run");
        Path config = dir.resolve("train.json");
        int shardCount = (count + 999) / 1000;                   // the importer's 1,000 per shard
        AtomicFiles.write(config, String.format(Locale.ROOT, """
                {"schemaVersion": 1, "model": {"preset": "tiny"},
                 "data": {"kind": "SHARDS", "shards": "%s/{00000..%05d}.tar", "tokenizer": "%s/tokenizer.json",
                          "crop": "%s"},
                 "loss": {"kind": "INFONCE", "labelSmoothing": %s},
                 "optimizer": {"peakLr": %s, "warmupSteps": %d, "weightDecay": 0.1},
                 "globalBatch": %d, "steps": %d, "seed": %d, "checkpointEvery": %d}
                """, json(shards), shardCount - 1, json(shards), crop, SYNTHETIC_LABEL_SMOOTHING,
                SYNTHETIC_LR, Math.max(1, n / 10),
                b, n, seed, n).getBytes(StandardCharsets.UTF_8));
        int classes = SyntheticImporter.COLOURS.size() * SyntheticImporter.SHAPES.size();
        List<Step> plan = new ArrayList<>();
        plan.add(new Step("import procedural image-text pairs into shards", List.of("data",
                "import", "synthetic", "--out", shards.toString(), "--count",
                Integer.toString(count), "--image-size", "32", "--context-length",
                Integer.toString(SYNTHETIC_CONTEXT), "--seed", Long.toString(seed))));
        plan.add(new Step("train the tiny preset from scratch on them", List.of("train",
                "--config", config.toString(), "--out", run.toString())));
        plan.add(new Step(String.format(Locale.ROOT, "classify held-out images zero-shot among "
                + "the %d colour-shape classes (chance %.1f%%)", classes, 100.0 / classes),
                List.of("eval", "zero-shot", "--model", run.resolve("model").toString(), "--data",
                        shards.resolve("eval").toString(), "--report",
                        dir.resolve("zero-shot.json").toString())));
        plan.add(new Step("search the held-out images by text", List.of("search", "--model",
                run.resolve("model").toString(), "--images", shards.resolve("eval").toString(),
                "--query", "a red circle", "--query", "a large blue ring", "--query",
                "a small green triangle", "--query", "a white cross", "--top", "6", "--out",
                dir.resolve("search.png").toString())));
        return plan;
    }

    /**
     * The import folder of a list of styles: {@code emoji} for Google + Twitter, else
     * {@code emoji-apple-google...} (sorted), so a demo with other styles never reuses it.
     */
    static String emojiFolder(List<EmojiImporter.Style> chosen) {
        List<String> names = chosen.stream().map(EmojiImporter.Style::folder).sorted().toList();
        return names.equals(List.of("google", "twitter")) ? "emoji"
                : "emoji-" + String.join("-", names);
    }

    private static List<Step> emojiImports(Path dir, Path emoji,
            List<EmojiImporter.Style> chosen) {
        Path openmoji = dir.resolve("openmoji");
        List<Step> plan = new ArrayList<>();
        if (!Files.exists(emoji.resolve("import.json"))) {
            String names = String.join(",", chosen.stream().map(EmojiImporter.Style::folder)
                    .toList());
            plan.add(new Step("import the " + names + " emoji (fetched by npm on first use)",
                    List.of("data", "import", "emoji", "--styles", names, "--out",
                            emoji.toString())));
        }
        if (!Files.exists(openmoji.resolve("import.json"))) {
            plan.add(new Step("import OpenMoji, a drawing style training never sees, as the "
                    + "evaluation set", List.of("data", "import", "openmoji", "--out",
                    openmoji.toString())));
        }
        return plan;
    }

    private List<Step> emoji(Path dir, Path emoji) throws IOException {
        long n = steps != null ? steps : EMOJI_STEPS;
        int b = batch != null ? batch : EMOJI_BATCH;
        Path openmoji = dir.resolve("openmoji");
        String emojiShards = importedShards(emoji);
        String openmojiShards = importedShards(openmoji);
        Path run = dir.resolve("run");
        Path config = dir.resolve("train.json");
        List<Step> plan = new ArrayList<>();
        AtomicFiles.write(config, String.format(Locale.ROOT, """
                {"schemaVersion": 1, "model": {"preset": "tiny"},
                 "data": {"kind": "SHARDS", "shards": "%8$s", "tokenizer": "%1$s/tokenizer.json"},
                 "loss": {"kind": "INFONCE", "labelSmoothing": 0.1},
                 "optimizer": {"peakLr": 1e-3, "warmupSteps": %3$d, "weightDecay": 0.1},
                 "globalBatch": %4$d, "steps": %5$d, "seed": %6$d, "checkpointEvery": %5$d,
                 "eval": {"every": %7$d,
                          "zeroShot": [{"name": "openmoji-shared", "folder": "%2$s/eval",
                                        "templates": "identity", "classes": "%1$s/labels.txt"}],
                          "retrieval": [{"name": "openmoji", "shards": "%9$s"}]}}
                """, json(emoji), json(openmoji), Math.max(1, n / 10), b, n, seed,
                Math.max(1, n / 4), json(Path.of(emojiShards)), json(Path.of(openmojiShards)))
                .getBytes(StandardCharsets.UTF_8));
        plan.add(new Step("train the tiny preset from scratch on the emoji, evaluating on "
                + "OpenMoji as it goes", List.of("train", "--config", config.toString(), "--out",
                run.toString())));
        String model = run.resolve("model").toString();
        plan.add(new Step("classify OpenMoji drawings zero-shot: among the classes the emoji "
                + "share, then among all", List.of("eval", "zero-shot", "--model", model,
                "--data", openmoji.resolve("eval").toString(), "--templates", "identity",
                "--classes", emoji.resolve("labels.txt").toString(), "--report",
                dir.resolve("zero-shot-shared.json").toString())));
        plan.add(new Step("retrieve OpenMoji captions and drawings both ways", List.of("eval",
                "retrieval", "--model", model, "--data", openmojiShards, "--report", dir.resolve("retrieval.json").toString())));
        plan.add(new Step("search OpenMoji drawings by text", List.of("search", "--model", model,
                "--images", openmoji.resolve("eval").toString(), "--query", "cat face",
                "--query", "red apple", "--query", "rocket", "--query", "smiling face with heart-eyes",
                "--top", "6", "--out", dir.resolve("search.png").toString())));
        return plan;
    }

    /** The shard pattern an import wrote, from its {@code import.json}. */
    private static String importedShards(Path importDir) throws IOException {
        return Json.mapper().readTree(importDir.resolve("import.json").toFile()).get("shards")
                .asText();
    }

    private static String json(Path p) {
        return p.toString().replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /**
     * Removes an earlier demo's results (a folder holding train.json or provenance.json),
     * keeping imported emoji and OpenMoji data; refuses any other non-empty folder.
     */
    private static void replaceEarlierDemo(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        boolean earlier = Files.exists(p.resolve("train.json"))
                || Files.exists(p.resolve("provenance.json"));
        try (var list = Files.list(p)) {
            Checks.checkArgument(earlier || list.findAny().isEmpty(),
                    "%s exists and is not an earlier demo's folder: choose another --out", p);
        }
        try (var list = Files.list(p)) {
            for (Path child : list.toList()) {
                String name = child.getFileName().toString();
                if ((name.equals("emoji") || name.startsWith("emoji-")
                        || name.equals("openmoji"))
                        && Files.exists(child.resolve("import.json"))) {
                    continue;                                     // reuse finished imports
                }
                FileTrees.delete(child);
            }
        }
    }
}
