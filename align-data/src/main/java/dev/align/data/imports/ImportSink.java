package dev.align.data.imports;

import static dev.align.core.Checks.checkArgument;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.align.core.io.AtomicFiles;
import dev.align.core.json.Json;
import dev.align.data.shards.ShardWriter;
import dev.align.data.text.BpeTokenizer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Where every importer writes: numbered samples ({@code 000000000}, ...) into shards, skip
 * counts, and at {@link #finish()} the BPE tokenizer over all captions and {@code import.json}.
 * Also writes the evaluation images of an ImageFolder set under {@code eval/}.
 */
final class ImportSink implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ImportSink.class.getName());

    private final String kind;
    private final ImportOptions options;
    private final ImportListener listener;
    private final long total;
    private final ShardWriter writer;
    private final List<String> captions = new ArrayList<>();
    private final Map<String, Long> skipped = new TreeMap<>();
    private final Map<String, Integer> evalCounts = new TreeMap<>();
    private final long start = System.nanoTime();
    private long written;
    private long skippedTotal;
    private long evalImages;
    private boolean closed;

    /**
     * @param total items the importer expects to visit (for progress), or -1
     * @throws IllegalArgumentException if the output folder already holds shards or an import
     */
    ImportSink(String kind, ImportOptions options, ImportListener listener, long total)
            throws IOException {
        this.kind = kind;
        this.options = options;
        this.listener = listener == null ? ImportListener.NONE : listener;
        this.total = total;
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
        this.writer = new ShardWriter(out, options.shardSize());
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
        String key = String.format("%09d", written);
        writer.write(key, "png", png(image), caption, json(metadata));
        captions.add(caption);
        written++;
        listener.progress(written, skippedTotal, total);
    }

    /** Counts and logs a skipped source item. */
    void skip(String reason, String item, String detail) {
        skipped.merge(reason, 1L, Long::sum);
        skippedTotal++;
        LOG.log(System.Logger.Level.WARNING, "skipped " + reason + ": " + item + ": " + detail);
        listener.progress(written, skippedTotal, total);
    }

    /** Writes {@code eval/<className>/<n>.png}, numbered per class from 0. */
    void writeEval(String className, BufferedImage image) throws IOException {
        checkArgument(!className.isBlank() && !className.contains("/")
                && !className.startsWith("."), "bad class folder name '%s'", className);
        int n = evalCounts.merge(className, 1, Integer::sum) - 1;
        Path file = options.out().resolve("eval").resolve(className)
                .resolve(String.format("%05d.png", n));
        Files.createDirectories(file.getParent());
        AtomicFiles.write(file, png(image));
        evalImages++;
    }

    /**
     * Completes the shards, trains and saves the tokenizer, writes {@code import.json}.
     *
     * @throws IOException if nothing could be imported (the message lists the skips)
     */
    ImportSummary finish() throws IOException {
        closed = true;
        writer.close();
        if (written == 0) {
            throw new IOException(String.format("the %s import wrote no sample; skipped: %s",
                    kind, skipped));
        }
        Path out = options.out();
        BpeTokenizer tokenizer = BpeTokenizer.train(captions, options.vocabSize(),
                options.contextLength());
        Path tokenizerFile = out.resolve("tokenizer.json");
        tokenizer.save(tokenizerFile);
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
    }

    /** Completes what was written if {@link #finish()} was not reached (an import that failed). */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            writer.close();
        }
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
