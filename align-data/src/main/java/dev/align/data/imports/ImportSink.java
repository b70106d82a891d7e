package dev.align.data.imports;

import static dev.align.core.Checks.checkArgument;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.align.core.io.AtomicFiles;
import dev.align.core.io.FileTrees;
import dev.align.core.json.Json;
import dev.align.data.folder.ImageFolder;
import dev.align.core.SplitMix64;
import dev.align.data.shards.ShardWriter;
import dev.align.data.text.BpeTokenizer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every importer writes: samples into shards, skip counts, and at {@link #finish()} the
 * BPE tokenizer over all captions and {@code import.json}. Also writes the evaluation images of
 * an ImageFolder set under {@code eval/} (with its {@code classnames.txt} and
 * {@code templates.txt}) and the set's {@code labels.txt}.
 *
 * <p>Order: unless told to keep the order they come in (for sets whose samples are independent
 * draws already), samples are held in a {@link SampleSpool} and written at {@link #finish()} in a
 * random order seeded by the import seed, numbered {@code 000000000}, ... in that order; a
 * sample's identity is in its {@code .json}, never in its key. The same source and seed give
 * byte-identical shards.
 *
 * <p>Atomicity: shards are written only once every source item has been visited (each shard
 * atomically, {@code sizes.json} last), and {@code eval/} is assembled in a hidden temporary
 * folder renamed into place by {@link #finish()}; an import that fails leaves neither a
 * half-written evaluation set nor its temporary files behind.
 */
final class ImportSink implements AutoCloseable {

    /** The file {@link #labels} writes, beside the shards. */
    static final String LABELS_FILE = "labels.txt";
    /** The templates file of an evaluation folder (one template per line, {@code {}}). */
    static final String TEMPLATES_FILE = "templates.txt";

    private static final Logger LOG = LoggerFactory.getLogger(ImportSink.class);
    /** Seed part of the shard order, apart from the per-item parts importers derive. */
    private static final long SHARD_ORDER = 0x4F52444552L;

    private final String kind;
    private final ImportOptions options;
    private final ImportListener listener;
    private final long total;
    private final boolean shuffle;
    private final SampleSpool spool;
    private final Path evalTemp;
    private final List<String> captions = new ArrayList<>();
    private final Map<String, Long> skipped = new TreeMap<>();
    private final Map<String, Integer> evalCounts = new TreeMap<>();
    private final Map<String, String> evalClassNames = new TreeMap<>();
    private final Map<String, Map<String, String>> evalClassNamesByLanguage = new TreeMap<>();
    private final Map<String, List<String>> evalTemplatesByLanguage = new TreeMap<>();
    private final Map<String, List<String>> labelsByLanguage = new TreeMap<>();
    private final long start = System.nanoTime();
    private ShardWriter writer;
    private List<String> evalTemplates;
    private BpeTokenizer.Words words = BpeTokenizer.Words.CLIP;
    private List<String> labels;
    private long written;
    private long skippedTotal;
    private long evalImages;
    private boolean closed;

    /**
     * A sink that writes its samples in a seeded random order.
     *
     * @param total items the importer expects to visit (for progress), or -1
     * @throws IllegalArgumentException if the output folder already holds shards or an import
     */
    ImportSink(String kind, ImportOptions options, ImportListener listener, long total)
            throws IOException {
        this(kind, options, listener, total, true, SampleSpool.DEFAULT_MEMORY_LIMIT_BYTES);
    }

    /**
     * @param total items the importer expects to visit (for progress), or -1
     * @param shuffle write the samples in a random order seeded by {@code options.seed()}; false
     *     keeps the order of the {@link #write} calls (for samples that are independent random
     *     draws already)
     * @param memoryLimitBytes encoded samples held in memory before they go to a temporary file
     * @throws IllegalArgumentException if the output folder already holds shards or an import
     */
    ImportSink(String kind, ImportOptions options, ImportListener listener, long total,
            boolean shuffle, long memoryLimitBytes) throws IOException {
        this.kind = kind;
        this.options = options;
        this.listener = listener == null ? ImportListener.NONE : listener;
        this.total = total;
        this.shuffle = shuffle;
        Path out = options.out();
        if (Files.isDirectory(out)) {
            try (Stream<Path> files = Files.list(out)) {
                List<String> clash = files.map(p -> p.getFileName().toString())
                        .filter(n -> n.endsWith(".tar") || n.equals("import.json")
                                || n.equals("eval"))
                        .sorted().limit(3).toList();
                checkArgument(clash.isEmpty(), "output folder %s already holds %s: choose an "
                        + "empty folder or delete it first", out, clash);
            }
        }
        Files.createDirectories(out);
        this.spool = shuffle ? new SampleSpool(out, memoryLimitBytes) : null;
        this.writer = shuffle ? null : new ShardWriter(out, options.shardSize());
        this.evalTemp = out.resolve(".eval-" + UUID.randomUUID() + ".tmp");
    }

    /** How the tokenizer trained at {@link #finish()} cuts captions into words (default CLIP's). */
    void tokenizerWords(BpeTokenizer.Words words) {
        this.words = words;
    }

    /** Whether the sample limit is reached (importers stop visiting items then). */
    boolean full() {
        return options.limit() > 0 && written >= options.limit();
    }

    /** Samples written so far. */
    long written() {
        return written;
    }

    /**
     * Writes one sample: the image as PNG, the caption, the metadata as one-line JSON.
     *
     * @param image an opaque RGB image
     */
    void write(BufferedImage image, String caption, Map<String, ?> metadata) throws IOException {
        checkArgument(!caption.isBlank(), "blank caption for %s", metadata);
        if (shuffle) {
            spool.add(new SampleSpool.Entry(png(image), caption, json(metadata)));
        } else {
            writer.write(String.format("%09d", written), "png", png(image), caption,
                    json(metadata));
        }
        captions.add(caption);
        written++;
        listener.progress(written, skippedTotal, total);
    }

    /** Counts and logs a skipped source item. */
    void skip(String reason, String item, String detail) {
        skipped.merge(reason, 1L, Long::sum);
        skippedTotal++;
        LOG.warn("skipped {}: {}: {}", reason, item, detail);
        listener.progress(written, skippedTotal, total);
    }

    /**
     * Writes {@code eval/<classFolder>/<n>.png}, numbered per class from 0.
     *
     * @param classFolder the class's folder name (no {@code /}, not starting with a dot)
     */
    void writeEval(String classFolder, BufferedImage image) throws IOException {
        checkArgument(!classFolder.isBlank() && !classFolder.contains("/")
                && !classFolder.contains("\\") && !classFolder.startsWith("."),
                "bad class folder name '%s'", classFolder);
        int n = evalCounts.merge(classFolder, 1, Integer::sum) - 1;
        Path file = evalTemp.resolve(classFolder).resolve(String.format("%05d.png", n));
        Files.createDirectories(file.getParent());
        Files.write(file, png(image));      // the folder appears whole, renamed by finish()
        evalImages++;
    }

    /** Images written to {@code eval/} for a class folder so far. */
    int evalCount(String classFolder) {
        return evalCounts.getOrDefault(classFolder, 0);
    }

    /**
     * The readable name of an evaluation class, written to {@code eval/classnames.txt}
     * ({@code folder<TAB>name}) at {@link #finish()}; every class folder needs one once any has
     * one. Whitespace runs (tabs, newlines) become single spaces.
     */
    void evalClassName(String classFolder, String readableName) {
        String name = readableName.replaceAll("\\s+", " ").strip();
        checkArgument(!name.isEmpty(), "blank class name for folder %s", classFolder);
        String before = evalClassNames.putIfAbsent(classFolder, name);
        checkArgument(before == null || before.equals(name), "class folder %s is named both '%s' "
                + "and '%s'", classFolder, before, name);
    }

    /**
     * The readable name of an evaluation class in one language, written to
     * {@code eval/classnames.<language>.txt} ({@code folder<TAB>name}, folders in code-point
     * order) at {@link #finish()}. Unlike {@code classnames.txt} it need not name every folder: a
     * class without a name in that language is left out of that language's evaluation.
     */
    void evalClassName(String language, String classFolder, String readableName) {
        String name = readableName.replaceAll("\\s+", " ").strip();
        checkArgument(!name.isEmpty(), "blank %s class name for folder %s", language,
                classFolder);
        String before = evalClassNamesByLanguage.computeIfAbsent(language, l -> new TreeMap<>())
                .putIfAbsent(classFolder, name);
        checkArgument(before == null || before.equals(name), "class folder %s is named both "
                + "'%s' and '%s' in %s", classFolder, before, name, language);
    }

    /** The prompt templates of one language, written to {@code eval/templates.<language>.txt}. */
    void evalTemplates(String language, List<String> templates) {
        for (String t : templates) {
            checkArgument(t.contains("{}") && !t.contains("\n"), "bad template '%s'", t);
        }
        evalTemplatesByLanguage.put(language, List.copyOf(templates));
    }

    /**
     * The set's labels in one language, written sorted and without repeats to
     * {@code labels.<language>.txt} beside the shards.
     */
    void labels(String language, Collection<String> labels) {
        List<String> sorted = new ArrayList<>(new TreeSet<>(labels));
        sorted.sort(ImageFolder.CODE_POINT_ORDER);
        labelsByLanguage.put(language, sorted);
    }

    /**
     * The prompt templates that suit this set ({@code {}} for the class name), written to
     * {@code eval/templates.txt}, which {@code ./align eval zero-shot} uses by default.
     */
    void evalTemplates(List<String> templates) {
        for (String t : templates) {
            checkArgument(t.contains("{}") && !t.contains("\n"), "bad template '%s'", t);
        }
        this.evalTemplates = List.copyOf(templates);
    }

    /**
     * The set's labels (the class names a model trained on it has seen), written sorted and
     * without repeats to {@code labels.txt} beside the shards: the list to restrict a zero-shot
     * evaluation to ({@code --classes}).
     */
    void labels(Collection<String> labels) {
        List<String> sorted = new ArrayList<>(new TreeSet<>(labels));
        sorted.sort(ImageFolder.CODE_POINT_ORDER);
        this.labels = sorted;
    }

    /**
     * Writes the shards in their order, trains and saves the tokenizer, writes
     * {@code labels.txt}, moves {@code eval/} into place, writes {@code import.json}.
     *
     * @throws IOException if nothing could be imported (the message lists the skips)
     */
    ImportSummary finish() throws IOException {
        closed = true;
        try {
            if (shuffle) {
                writeShuffled();
            }
            writer.close();
            if (written == 0) {
                throw new IOException(String.format("the %s import wrote no sample; skipped: %s",
                        kind, skipped));
            }
            Path out = options.out();
            BpeTokenizer tokenizer = BpeTokenizer.train(captions, options.vocabSize(),
                    options.contextLength(), words);
            Path tokenizerFile = out.resolve("tokenizer.json");
            tokenizer.save(tokenizerFile);
            if (labels != null) {
                AtomicFiles.write(out.resolve(LABELS_FILE), lines(labels));
            }
            for (Map.Entry<String, List<String>> e : labelsByLanguage.entrySet()) {
                AtomicFiles.write(out.resolve("labels." + e.getKey() + ".txt"),
                        lines(e.getValue()));
            }
            finishEval(out.resolve("eval"));
            int shardFiles = writer.shards().size();
            String pattern = out.resolve(shardFiles == 1 ? "00000.tar"
                    : String.format("{00000..%05d}.tar", shardFiles - 1)).toString();
            ImportSummary summary = new ImportSummary(kind, pattern, shardFiles, written, skipped,
                    tokenizerFile.toString(), tokenizer.vocabSize(), tokenizer.contextLength(),
                    evalImages == 0 ? null : out.resolve("eval").toString(), evalCounts.size(),
                    evalImages, Math.round((System.nanoTime() - start) / 1e7) / 100.0);
            AtomicFiles.write(out.resolve("import.json"),
                    Json.write(summary).getBytes(StandardCharsets.UTF_8));
            return summary;
        } finally {
            FileTrees.delete(evalTemp);
        }
    }

    /**
     * Completes what was written if {@link #finish()} was not reached (an import that failed),
     * removing the spool and the unfinished evaluation folder.
     */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            try {
                if (spool != null) {
                    spool.close();
                }
                if (writer != null) {
                    writer.close();
                }
            } finally {
                FileTrees.delete(evalTemp);
            }
        }
    }

    /** The spooled samples into shards, in the seeded order, keys numbered in that order. */
    private void writeShuffled() throws IOException {
        try (SampleSpool s = spool) {
            writer = new ShardWriter(options.out(), options.shardSize());
            long key = 0;
            for (SampleSpool.Entry e : s.shuffled(SplitMix64.derive(options.seed(), SHARD_ORDER))) {
                writer.write(String.format("%09d", key++), "png", e.png(), e.caption(), e.json());
            }
        }
    }

    /** Adds classnames.txt and templates.txt, then renames the assembled folder into place. */
    private void finishEval(Path eval) throws IOException {
        if (evalImages == 0) {
            return;
        }
        if (!evalClassNames.isEmpty()) {
            List<String> missing = evalCounts.keySet().stream()
                    .filter(f -> !evalClassNames.containsKey(f)).limit(3).toList();
            checkArgument(missing.isEmpty(), "eval class folders %s have no readable name",
                    missing);
            List<String> rows = new ArrayList<>();
            evalCounts.keySet().forEach(f -> rows.add(f + "\t" + evalClassNames.get(f)));
            AtomicFiles.write(evalTemp.resolve(ImageFolder.CLASS_NAMES_FILE), lines(rows));
        }
        if (evalTemplates != null) {
            AtomicFiles.write(evalTemp.resolve(TEMPLATES_FILE), lines(evalTemplates));
        }
        for (Map.Entry<String, Map<String, String>> e : evalClassNamesByLanguage.entrySet()) {
            List<String> rows = new ArrayList<>();
            e.getValue().forEach((folder, name) -> {
                if (evalCounts.containsKey(folder)) {
                    rows.add(folder + "\t" + name);
                }
            });
            rows.sort(ImageFolder.CODE_POINT_ORDER);
            AtomicFiles.write(evalTemp.resolve("classnames." + e.getKey() + ".txt"), lines(rows));
        }
        for (Map.Entry<String, List<String>> e : evalTemplatesByLanguage.entrySet()) {
            AtomicFiles.write(evalTemp.resolve("templates." + e.getKey() + ".txt"),
                    lines(e.getValue()));
        }
        Files.move(evalTemp, eval, StandardCopyOption.ATOMIC_MOVE);
    }

    private static byte[] lines(List<String> lines) {
        StringBuilder b = new StringBuilder();
        for (String line : lines) {
            b.append(line).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** PNG bytes of an image; the same pixels always give the same bytes. */
    static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no ImageIO PNG writer");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One-line JSON, keys in the map's order. */
    static String json(Map<String, ?> metadata) {
        try {
            return Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(metadata);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
