package dev.align.cli;

import dev.align.core.io.AtomicFiles;
import dev.align.core.json.Json;
import dev.align.core.progress.ProgressLine;
import dev.align.data.folder.ImageFolder;
import dev.align.data.shards.ShardReaderOptions;
import dev.align.eval.Progress;
import dev.align.eval.embed.ClipEmbedder;
import dev.align.eval.retrieval.RecallAtK;
import dev.align.eval.retrieval.Retrieval;
import dev.align.eval.retrieval.RetrievalEvaluator;
import dev.align.eval.retrieval.RetrievalReport;
import dev.align.eval.zeroshot.MultilingualZeroShot;
import dev.align.eval.zeroshot.Templates;
import dev.align.eval.zeroshot.ZeroShotClassifier;
import dev.align.eval.zeroshot.ZeroShotEvaluator;
import dev.align.eval.zeroshot.ZeroShotReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./align eval}: zero-shot classification on image folders and image-text retrieval on
 * shards, several data sets per run with a summary line (the mean over tasks, as DataComp's
 * suite), a table on stdout, a JSON report and PNG plots beside it, progress on stderr.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a model: zero-shot classification on ImageFolder directories, "
                + "retrieval recall@k on WebDataset shards.",
        subcommands = {EvalCommand.ZeroShot.class, EvalCommand.RetrievalCmd.class})
final class EvalCommand {

    /** Report format version. */
    static final int SCHEMA_VERSION = 1;

    /** Options every evaluation takes. */
    static class Common {
        @Option(names = "--model", required = true, paramLabel = "DIR",
                description = "A model folder (model.json + model.safetensors [+ tokenizer.json]).")
        Path model;

        @Option(names = "--tokenizer", paramLabel = "FILE",
                description = "The model's tokenizer.json, when the model folder has none.")
        Path tokenizer;

        @Option(names = "--batch", defaultValue = "64", paramLabel = "N",
                description = "Images or texts per forward pass (default: ${DEFAULT-VALUE}).")
        int batch;

        ClipEmbedder open() throws IOException {
            return ClipEmbedder.builder(model).optTokenizer(tokenizer).optBatchSize(batch).build();
        }
    }

    /**
     * The JSON report of a zero-shot run.
     *
     * @param templates the template set of each data set (a name or a file)
     * @param classes the class list the folders were restricted to, or {@code null}
     * @param meanTop1 mean top-1 over the data sets (the summary line)
     * @param plots PNG files written beside the report
     */
    record ZeroShotRun(int schemaVersion, String task, String model, List<String> templates,
            String classes, List<ZeroShotReport> datasets, double meanTop1, double meanTop5,
            List<String> plots) {}

    /**
     * The JSON report of a zero-shot run in several languages.
     *
     * @param languages the language codes, in the order given
     * @param datasets per data set, each language's top-1/top-5 on the classes all of them name
     */
    record MultilingualZeroShotRun(int schemaVersion, String task, String model,
            List<String> languages, String classes, List<MultilingualZeroShot.Report> datasets) {}

    /**
     * The JSON report of a retrieval run.
     *
     * @param meanRecallAt1 mean over data sets of each one's mean recall@1 (the summary line)
     */
    record RetrievalRun(int schemaVersion, String task, String model, List<RetrievalReport> datasets,
            double meanRecallAt1, List<String> plots) {}

    @Command(name = "zero-shot", mixinStandardHelpOptions = true,
            description = "Zero-shot classification of every image of ImageFolder directories "
                    + "(one sub-folder per class; optional classnames.txt with "
                    + "'folder<TAB>readable name' lines), as OpenCLIP: prompts from templates, "
                    + "averaged per class, logits 100 * image . class.")
    static final class ZeroShot extends Common implements Callable<Integer> {
        @Option(names = "--data", required = true, paramLabel = "DIR",
                description = "An ImageFolder directory; repeat for several data sets.")
        List<Path> data;

        @Option(names = "--templates", paramLabel = "SET",
                description = "identity ('{}' alone: the bare class name), simple (OpenCLIP's "
                        + "7), openai (80 ImageNet photo templates), drawing (8 for drawings, "
                        + "icons and emoji) or a file with one template per line, '{}' where "
                        + "the class name goes. Default: each folder's own templates.txt when "
                        + "it has one (./align data import writes the caption forms of its set "
                        + "there), else openai.")
        String templates;

        @Option(names = "--classes", paramLabel = "FILE",
                description = "Evaluate only the classes whose readable names are listed in "
                        + "FILE (one per line, such as the labels.txt an import writes), and "
                        + "only among each other: e.g. OpenMoji's classes that the emoji a "
                        + "model was trained on share.")
        Path classes;

        @Option(names = "--report", defaultValue = "eval-zero-shot.json", paramLabel = "FILE",
                description = "JSON report; plots go beside it (default: ${DEFAULT-VALUE}).")
        Path report;

        @Option(names = "--languages", paramLabel = "en,de,ja",
                description = "Score each language side by side on the same images: class names "
                        + "from each folder's classnames.LANG.txt and templates from its "
                        + "templates.LANG.txt ('{}' when absent), as ./align data import "
                        + "emoji|openmoji --languages writes them; only the classes every "
                        + "language names are evaluated. --templates does not apply.")
        String languages;

        @Override
        public Integer call() throws IOException {
            List<String> classList = classes == null ? null : ImageFolder.readNameList(classes);
            if (languages != null) {
                return multilingual(classList);
            }
            List<ImageFolder> folders = new ArrayList<>();
            List<String> templateSets = new ArrayList<>();
            List<List<String>> templateLists = new ArrayList<>();
            for (Path d : data) {
                ImageFolder f = ImageFolder.open(d);             // fail on a bad folder before loading
                folders.add(classList == null ? f : f.onlyClasses(classList));
                String set = templates != null ? templates : Templates.forFolder(d);
                templateSets.add(set);
                templateLists.add(Templates.named(set));
            }
            List<String> names = datasetNames(data);
            List<ZeroShotReport> reports = new ArrayList<>();
            List<String> plots = new ArrayList<>();
            try (ClipEmbedder clip = open()) {
                for (int i = 0; i < folders.size(); i++) {
                    ImageFolder f = folders.get(i);
                    List<String> templateList = templateLists.get(i);
                    ZeroShotClassifier zs = ZeroShotClassifier.build(clip, f.classNames(), templateList);
                    ZeroShotReport r;
                    try (ProgressLine line = ProgressLine.on(System.err, "zero-shot " + names.get(i))) {
                        r = ZeroShotEvaluator.evaluate(names.get(i), f, clip, zs,
                                templateList.size(), Math.max(batch, 256), progress(line, "images"));
                    }
                    reports.add(r);
                    Path plot = beside(report, names.get(i) + ".per-class.png");
                    EvalPlots.perClassAccuracy(r, plot);
                    plots.add(plot.toString());
                }
            }
            double meanTop1 = reports.stream().mapToDouble(ZeroShotReport::top1).average().orElseThrow();
            double meanTop5 = reports.stream().mapToDouble(ZeroShotReport::top5).average().orElseThrow();
            PrintStream out = System.out;
            out.printf(Locale.ROOT, "%-24s %8s %8s %8s %8s %8s  %s%n", "dataset", "classes",
                    "images", "skipped", "top-1", "top-5", "templates");
            for (int i = 0; i < reports.size(); i++) {
                ZeroShotReport r = reports.get(i);
                out.printf(Locale.ROOT, "%-24s %8d %8d %8d %7.2f%% %7.2f%%  %s (%d)%n",
                        r.dataset(), r.classes(), r.images(), r.skipped(), 100 * r.top1(),
                        100 * r.top5(), templateSets.get(i), r.templates());
            }
            out.printf(Locale.ROOT, "%-24s %35s %7.2f%% %7.2f%%%n",
                    "mean over " + reports.size() + " task" + (reports.size() == 1 ? "" : "s"), "",
                    100 * meanTop1, 100 * meanTop5);
            ZeroShotRun run = new ZeroShotRun(SCHEMA_VERSION, "zero-shot", model.toString(),
                    templateSets, classes == null ? null : classes.toString(), reports, meanTop1,
                    meanTop5, plots);
            AtomicFiles.write(report, Json.write(run).getBytes(StandardCharsets.UTF_8));
            out.println("report: " + report);
            return 0;
        }

        private int multilingual(List<String> classList) throws IOException {
            List<String> codes = parseLanguages(languages);
            List<ImageFolder> folders = new ArrayList<>();
            List<List<MultilingualZeroShot.Language>> perFolder = new ArrayList<>();
            for (Path d : data) {
                ImageFolder f = ImageFolder.open(d);
                folders.add(classList == null ? f : f.onlyClasses(classList));
                List<MultilingualZeroShot.Language> langs = new ArrayList<>();
                for (String code : codes) {
                    langs.add(MultilingualZeroShot.read(d, code));   // fail before loading
                }
                perFolder.add(langs);
            }
            List<String> names = datasetNames(data);
            List<MultilingualZeroShot.Report> reports = new ArrayList<>();
            try (ClipEmbedder clip = open()) {
                for (int i = 0; i < folders.size(); i++) {
                    try (ProgressLine line = ProgressLine.on(System.err, "zero-shot " + names.get(i))) {
                        reports.add(MultilingualZeroShot.evaluate(names.get(i), folders.get(i),
                                clip, clip, perFolder.get(i), Math.max(batch, 256),
                                progress(line, "images")));
                    }
                }
            }
            return multilingualReport(reports, new MultilingualZeroShotRun(SCHEMA_VERSION,
                    "zero-shot-multilingual", model.toString(), codes,
                    classes == null ? null : classes.toString(), reports), report);
        }
    }

    /** "en, de,ja" as a list of distinct codes; names a blank list. */
    static List<String> parseLanguages(String commaSeparated) {
        List<String> out = new ArrayList<>();
        for (String part : commaSeparated.split(",")) {
            String code = part.strip();
            if (!code.isEmpty() && !out.contains(code)) {
                out.add(code);
            }
        }
        dev.align.core.Checks.checkArgument(!out.isEmpty(),
                "--languages '%s' names no language: give codes such as en,de,ja", commaSeparated);
        return out;
    }

    /** Writes the per-language table and report of {@code --languages}. */
    private static int multilingualReport(List<MultilingualZeroShot.Report> reports,
            MultilingualZeroShotRun run, Path report) throws IOException {
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "%-24s %-8s %8s %8s %8s %8s %8s  %s%n", "dataset", "language",
                "classes", "images", "skipped", "top-1", "top-5", "templates (tied names)");
        for (MultilingualZeroShot.Report r : reports) {
            for (MultilingualZeroShot.LanguageScore l : r.languages()) {
                out.printf(Locale.ROOT, "%-24s %-8s %8d %8d %8d %7.2f%% %7.2f%%  %d (%d)%n",
                        r.dataset(), l.language(), r.classes(), r.images(), r.failed(),
                        100 * l.top1(), 100 * l.top5(), l.templates(), l.duplicateNames());
            }
        }
        AtomicFiles.write(report, Json.write(run).getBytes(StandardCharsets.UTF_8));
        out.println("report: " + report);
        return 0;
    }

    @Command(name = "retrieval", mixinStandardHelpOptions = true,
            description = "Image-text retrieval recall@1/5/10 both ways over WebDataset shards "
                    + "(image + .txt caption per sample; several lines in a caption are several "
                    + "captions of that image), and their mean, as DataComp reports it.")
    static final class RetrievalCmd extends Common implements Callable<Integer> {
        @Option(names = "--data", required = true, paramLabel = "SHARDS",
                description = "Shards, brace patterns allowed (data/{00000..00009}.tar); repeat "
                        + "for several data sets.")
        List<String> data;

        @Option(names = "--report", defaultValue = "eval-retrieval.json", paramLabel = "FILE",
                description = "JSON report; the recall@k plot goes beside it (default: ${DEFAULT-VALUE}).")
        Path report;

        @Option(names = "--max-pairs", defaultValue = "0", paramLabel = "N",
                description = "Only the first N samples of each data set, in stored order (0 = "
                        + "all; recall falls as the pool grows, so compare equal caps only).")
        long maxPairs;

        @Override
        public Integer call() throws IOException {
            List<ShardReaderOptions> shards = new ArrayList<>();
            List<Path> asPaths = new ArrayList<>();
            for (String d : data) {
                shards.add(ShardReaderOptions.of(d));
                Path p = Path.of(d);                  // "dir/{00000..00009}.tar" is named "dir"
                asPaths.add(p.getFileName() != null && p.getFileName().toString().contains("{")
                        && p.toAbsolutePath().getParent() != null ? p.toAbsolutePath().getParent() : p);
            }
            List<String> names = datasetNames(asPaths);
            List<RetrievalReport> reports = new ArrayList<>();
            try (ClipEmbedder clip = open()) {
                for (int i = 0; i < shards.size(); i++) {
                    try (ProgressLine line = ProgressLine.on(System.err, "retrieval " + names.get(i))) {
                        reports.add(RetrievalEvaluator.evaluate(names.get(i), shards.get(i), clip,
                                clip, Retrieval.DEFAULT_KS, Math.max(batch, 256), maxPairs,
                                progress(line, "samples")));
                    }
                }
            }
            Path plot = beside(report, "recall.png");
            EvalPlots.recallCurves(reports, plot);
            double mean = reports.stream().mapToDouble(RetrievalReport::meanRecallAt1).average()
                    .orElseThrow();
            PrintStream out = System.out;
            out.printf(Locale.ROOT, "%-24s %7s %7s %7s %7s %7s %7s %7s %7s %7s%n", "dataset", "images",
                    "texts", "i2t@1", "i2t@5", "i2t@10", "t2i@1", "t2i@5", "t2i@10", "mean@1");
            for (RetrievalReport r : reports) {
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-24s %7d %7d",
                        r.dataset(), r.images(), r.texts()));
                for (RecallAtK k : r.recalls()) {
                    row.append(String.format(Locale.ROOT, " %6.2f%%", 100 * k.imageToText()));
                }
                for (RecallAtK k : r.recalls()) {
                    row.append(String.format(Locale.ROOT, " %6.2f%%", 100 * k.textToImage()));
                }
                out.println(row.append(String.format(Locale.ROOT, " %6.2f%%", 100 * r.meanRecallAt1())));
            }
            out.printf(Locale.ROOT, "%-24s %79s %6.2f%%%n", "mean over " + reports.size()
                    + " task" + (reports.size() == 1 ? "" : "s"), "", 100 * mean);
            RetrievalRun run = new RetrievalRun(SCHEMA_VERSION, "retrieval", model.toString(),
                    reports, mean, List.of(plot.toString()));
            AtomicFiles.write(report, Json.write(run).getBytes(StandardCharsets.UTF_8));
            out.println("report: " + report);
            return 0;
        }
    }

    /** Data set names from their paths' last element, made unique with a suffix. */
    static List<String> datasetNames(List<Path> paths) {
        Set<String> used = new HashSet<>();
        List<String> out = new ArrayList<>();
        for (Path p : paths) {
            Path name = p.toAbsolutePath().normalize().getFileName();
            String base = name == null ? "data" : name.toString().replaceAll("\\.tar$", "")
                    .replaceAll("[^\\p{L}\\p{N}._-]+", "_");
            String unique = base;
            for (int n = 2; !used.add(unique); n++) {
                unique = base + "-" + n;
            }
            out.add(unique);
        }
        return out;
    }

    /** {@code <report stem>.<suffix>} in the report's folder. */
    static Path beside(Path report, String suffix) {
        String file = report.getFileName().toString();
        String stem = file.endsWith(".json") ? file.substring(0, file.length() - 5) : file;
        Path parent = report.toAbsolutePath().getParent();
        return parent.resolve(stem + "." + suffix);
    }

    /** Reports an evaluation's progress on {@code line}, with its rate in {@code unit}/s. */
    static Progress progress(ProgressLine line, String unit) {
        long start = System.nanoTime();
        return (done, total) -> {
            double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
            line.update(done, total, String.format(Locale.ROOT, "%.1f %s/s", done / seconds,
                    unit));
        };
    }
}
