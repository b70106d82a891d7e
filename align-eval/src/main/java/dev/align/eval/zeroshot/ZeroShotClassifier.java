package dev.align.eval.zeroshot;

import static dev.align.core.Checks.checkArgument;

import dev.align.eval.embed.TextEncoder;
import java.util.ArrayList;
import java.util.List;

/**
 * A zero-shot classifier as OpenCLIP's {@code build_zero_shot_classifier}: for every class, each
 * template is filled with the class name and embedded; the unit embeddings are averaged over the
 * templates and the mean re-normalised, giving one unit vector per class (the columns of
 * OpenCLIP's {@code [E, C]} classifier). An image embedding's logits are
 * {@code 100 * image . class} (OpenCLIP's {@code 100. * image_features @ classifier}, whatever the
 * model's learned temperature), and probabilities their softmax.
 *
 * <p><b>Ties</b> are broken deterministically: classes are ranked by logit, highest first, and
 * among equal logits the lowest class index ranks first. Immutable and thread-safe.
 */
public final class ZeroShotClassifier {

    /** OpenCLIP's fixed logit scale for zero-shot classification. */
    public static final double LOGIT_SCALE = 100.0;

    private final List<String> classNames;
    private final float[][] classEmbeddings; // [C][E] unit rows

    private ZeroShotClassifier(List<String> classNames, float[][] classEmbeddings) {
        this.classNames = classNames;
        this.classEmbeddings = classEmbeddings;
    }

    /**
     * Builds the classifier: {@code C x K} prompts embedded in one call to {@code encoder}
     * (which batches), averaged per class in double precision and re-normalised.
     *
     * @param classNames {@code C >= 1} readable class names
     * @param templates {@code K >= 1} templates, each with {@code {}} ({@link Templates#of})
     * @throws IllegalArgumentException on no classes, a blank class name or a bad template
     */
    public static ZeroShotClassifier build(TextEncoder encoder, List<String> classNames,
            List<String> templates) {
        checkArgument(encoder != null, "encoder is null");
        checkArgument(classNames != null && !classNames.isEmpty(), "no class names given");
        for (int c = 0; c < classNames.size(); c++) {
            checkArgument(classNames.get(c) != null && !classNames.get(c).isBlank(),
                    "class name %s is blank", c);
        }
        List<String> checked = Templates.of(templates);
        int k = checked.size();
        List<String> prompts = new ArrayList<>(classNames.size() * k);
        for (String name : classNames) {
            for (String t : checked) {
                prompts.add(Templates.format(t, name));
            }
        }
        float[][] e = encoder.encodeTexts(prompts);                      // [C * K][E]
        checkArgument(e.length == prompts.size(), "the encoder returned %s rows for %s prompts",
                e.length, prompts.size());
        int dim = encoder.embeddingDim();
        float[][] classes = new float[classNames.size()][];
        for (int c = 0; c < classNames.size(); c++) {
            double[] mean = new double[dim];
            for (int j = 0; j < k; j++) {
                float[] row = e[c * k + j];
                checkArgument(row.length == dim, "embedding of prompt '%s' has %s values, expected %s",
                        prompts.get(c * k + j), row.length, dim);
                double inv = 1 / Math.max(norm(row), 1e-12);     // F.normalize, as OpenCLIP
                for (int d = 0; d < dim; d++) {
                    mean[d] += row[d] * inv / k;
                }
            }
            classes[c] = normalize(mean);
        }
        return new ZeroShotClassifier(List.copyOf(classNames), classes);
    }

    /**
     * A classifier from precomputed class embeddings (normalised here).
     *
     * @param classEmbeddings {@code [C][E]}
     */
    public static ZeroShotClassifier of(List<String> classNames, float[][] classEmbeddings) {
        checkArgument(classNames != null && classEmbeddings != null
                && classNames.size() == classEmbeddings.length && !classNames.isEmpty(),
                "need as many class names as class embeddings, at least one");
        float[][] rows = new float[classEmbeddings.length][];
        for (int c = 0; c < rows.length; c++) {
            float[] r = classEmbeddings[c];
            checkArgument(r.length == classEmbeddings[0].length, "class embeddings differ in length");
            double[] d = new double[r.length];
            for (int i = 0; i < r.length; i++) {
                d[i] = r[i];
            }
            rows[c] = normalize(d);
        }
        return new ZeroShotClassifier(List.copyOf(classNames), rows);
    }

    /** The class names, in class-index order. */
    public List<String> classNames() {
        return classNames;
    }

    /** Number of classes {@code C}. */
    public int classCount() {
        return classNames.size();
    }

    /** Class embedding {@code c}, a unit vector (a copy). */
    public float[] classEmbedding(int c) {
        return classEmbeddings[c].clone();
    }

    /** The {@code C} logits {@code 100 * image . class} of an image embedding. */
    public double[] logits(float[] image) {
        checkArgument(image != null && image.length == classEmbeddings[0].length,
                "image embedding must have %s values", classEmbeddings[0].length);
        double[] out = new double[classEmbeddings.length];
        for (int c = 0; c < out.length; c++) {
            float[] w = classEmbeddings[c];
            double dot = 0;
            for (int d = 0; d < w.length; d++) {
                dot += (double) image[d] * w[d];
            }
            out[c] = LOGIT_SCALE * dot;
        }
        return out;
    }

    /** The top-1 class index (ties: the lowest index). */
    public int predict(float[] image) {
        double[] logits = logits(image);
        int best = 0;
        for (int c = 1; c < logits.length; c++) {
            if (logits[c] > logits[best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * The {@code min(k, C)} best classes, best first (ties: lower index first), with softmax
     * probabilities over all classes.
     */
    public List<Prediction> topK(float[] image, int k) {
        checkArgument(k >= 1, "k must be >= 1, got %s", k);
        double[] logits = logits(image);
        int[] order = rank(logits);
        double max = logits[order[0]];
        double sum = 0;
        for (double l : logits) {
            sum += Math.exp(l - max);
        }
        List<Prediction> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, order.length); i++) {
            int c = order[i];
            out.add(new Prediction(c, classNames.get(c), logits[c], Math.exp(logits[c] - max) / sum));
        }
        return out;
    }

    /**
     * Class indices ordered by logit, highest first, ties by lower index first.
     *
     * @return a permutation of {@code 0..C-1}
     */
    public static int[] rank(double[] logits) {
        return java.util.stream.IntStream.range(0, logits.length).boxed()
                .sorted((a, b) -> {
                    int byLogit = Double.compare(logits[b], logits[a]);
                    return byLogit != 0 ? byLogit : Integer.compare(a, b);
                })
                .mapToInt(Integer::intValue).toArray();
    }

    /**
     * The 0-based rank of class {@code c} under {@link #rank}: how many classes have a higher
     * logit, or an equal one and a lower index.
     */
    public static int rankOf(double[] logits, int c) {
        int r = 0;
        for (int j = 0; j < logits.length; j++) {
            if (logits[j] > logits[c] || (logits[j] == logits[c] && j < c)) {
                r++;
            }
        }
        return r;
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    private static float[] normalize(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        double inv = 1 / Math.max(Math.sqrt(s), 1e-12);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] * inv);
        }
        return out;
    }
}
