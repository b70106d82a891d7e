package dev.align.data.imports;

import static dev.align.core.Checks.checkArgument;

import dev.align.data.internal.Seeds;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * Fashion-MNIST (Debian {@code dataset-fashion-mnist}, MIT): 60,000 training and 10,000 test
 * grey 28x28 images of 10 clothing classes, from the gzipped IDX files, captioned with templates
 * such as "a photo of a sandal". The training split becomes the shards; the test split becomes
 * the ImageFolder evaluation set {@code eval/<class>/} (up to {@code evalPerClass} images per
 * class) with the caption templates as {@code eval/templates.txt}. The training samples are
 * written in a seeded random order (see {@link Importer}); each {@code .json} keeps
 * {@code split}, {@code index}, {@code label} and {@code class}. A fast sanity check; with one caption per class it is classification in disguise, not
 * image-text learning.
 *
 * <p>Source layout ({@code tools/fetch/fetch fashion-mnist}):
 * {@code usr/share/datasets/fashion-mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz}.
 * A label outside 0..9 is skipped as {@code bad_label}; a file whose header disagrees with its
 * partner or whose data ends early fails with a message naming the file.
 */
public final class FashionMnistImporter implements Importer {

    /** Class names in label order, as folder names (Fashion-MNIST's "T-shirt/top" has a slash). */
    public static final List<String> CLASSES = List.of("t-shirt", "trouser", "pullover", "dress",
            "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot");
    /** Evaluation images per class when none is given. */
    public static final int DEFAULT_EVAL_PER_CLASS = 100;

    private static final String DIR = "usr/share/datasets/fashion-mnist/";
    private static final List<String> TEMPLATES = List.of("a photo of a %s.",
            "a black and white photo of a %s.", "a low resolution photo of a %s.",
            "a photo of the %s.", "a picture of a %s.", "a %s.");

    private final Path source;
    private final int evalPerClass;

    /**
     * @param source the folder {@code tools/fetch/fetch fashion-mnist} fills
     * @param evalPerClass test images per class written to {@code eval/}, {@code >= 0}
     */
    public FashionMnistImporter(Path source, int evalPerClass) {
        checkArgument(evalPerClass >= 0, "eval images per class must be >= 0, got %s",
                evalPerClass);
        this.source = source;
        this.evalPerClass = evalPerClass;
    }

    @Override
    public String kind() {
        return "fashion-mnist";
    }

    /** Images {@code [N, rows * cols]} as unsigned bytes, and labels {@code [N]}. */
    record Idx(int rows, int cols, byte[][] images, byte[] labels) {}

    @Override
    public ImportSummary run(ImportOptions options, ImportListener listener) throws IOException {
        Idx train = read(Sources.require(source, kind(), DIR + "train-images-idx3-ubyte.gz"),
                Sources.require(source, kind(), DIR + "train-labels-idx1-ubyte.gz"));
        Idx test = evalPerClass == 0 ? null : read(
                Sources.require(source, kind(), DIR + "t10k-images-idx3-ubyte.gz"),
                Sources.require(source, kind(), DIR + "t10k-labels-idx1-ubyte.gz"));
        int maxSide = options.imageSizeOr(Integer.MAX_VALUE);
        try (ImportSink sink = new ImportSink(kind(), options, listener, train.labels().length)) {
            for (int i = 0; i < train.labels().length && !sink.full(); i++) {
                int label = train.labels()[i] & 0xFF;
                if (label >= CLASSES.size()) {
                    sink.skip("bad_label", "train image " + i, "label " + label
                            + " is not in 0..9");
                    continue;
                }
                SplittableRandom random = new SplittableRandom(Seeds.derive(options.seed(), i));
                String caption = String.format(TEMPLATES.get(random.nextInt(TEMPLATES.size())),
                        CLASSES.get(label));
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("split", "train");
                meta.put("index", i);
                meta.put("label", label);
                meta.put("class", CLASSES.get(label));
                sink.write(Sources.fit(grey(train, i), maxSide), caption, meta);
            }
            if (test != null) {
                int[] perClass = new int[CLASSES.size()];
                for (int i = 0; i < test.labels().length; i++) {
                    int label = test.labels()[i] & 0xFF;
                    if (label < CLASSES.size() && perClass[label] < evalPerClass) {
                        perClass[label]++;
                        sink.writeEval(CLASSES.get(label), Sources.fit(grey(test, i), maxSide));
                    }
                }
                sink.evalTemplates(Sources.braces(TEMPLATES));
            }
            return sink.finish();
        }
    }

    private static BufferedImage grey(Idx idx, int i) {
        BufferedImage image = new BufferedImage(idx.cols(), idx.rows(),
                BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        byte[] src = idx.images()[i];
        for (int p = 0; p < px.length; p++) {
            int v = src[p] & 0xFF;
            px[p] = (v << 16) | (v << 8) | v;
        }
        return image;
    }

    /**
     * Reads an IDX image file (magic 2051: count, rows, columns, then unsigned bytes) and its
     * label file (magic 2049: count, then one byte each), gzipped or not.
     *
     * @throws IOException if a magic number or count is wrong or a file ends early (named)
     */
    static Idx read(Path imagesFile, Path labelsFile) throws IOException {
        byte[] labels;
        try (DataInputStream in = open(labelsFile)) {
            int magic = in.readInt();
            checkFormat(magic == 2049, labelsFile, "magic number %s, expected 2049 (IDX labels)",
                    magic);
            int n = in.readInt();
            checkFormat(n >= 0, labelsFile, "negative label count %s", n);
            labels = readFully(in, n, labelsFile, "labels");
        } catch (EOFException e) {
            throw new IOException(labelsFile + " is truncated inside its header", e);
        }
        try (DataInputStream in = open(imagesFile)) {
            int magic = in.readInt();
            checkFormat(magic == 2051, imagesFile, "magic number %s, expected 2051 (IDX images)",
                    magic);
            int n = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            checkFormat(n == labels.length, imagesFile, "%s images but %s has %s labels", n,
                    labelsFile, labels.length);
            checkFormat(rows > 0 && cols > 0 && (long) rows * cols <= 1 << 20, imagesFile,
                    "image size %sx%s is not in 1..2^20 pixels", rows, cols);
            byte[][] images = new byte[n][];
            for (int i = 0; i < n; i++) {
                images[i] = readFully(in, rows * cols, imagesFile, "image " + i + " of " + n);
            }
            return new Idx(rows, cols, images, labels);
        } catch (EOFException e) {
            throw new IOException(imagesFile + " is truncated inside its header", e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        return new DataInputStream(file.toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16)
                : in);
    }

    private static byte[] readFully(DataInputStream in, int n, Path file, String what)
            throws IOException {
        byte[] out;
        try {
            out = in.readNBytes(n);
        } catch (EOFException e) {   // a cut gzip stream ends with an EOFException, not short
            throw new IOException(String.format("%s is truncated inside %s: %s", file, what,
                    e.getMessage()), e);
        }
        if (out.length != n) {
            throw new IOException(String.format("%s is truncated: %s needs %s bytes, only %s "
                    + "remain", file, what, n, out.length));
        }
        return out;
    }

    private static void checkFormat(boolean ok, Path file, String template, Object... args)
            throws IOException {
        if (!ok) {
            throw new IOException(file + ": " + String.format(template, args));
        }
    }
}
