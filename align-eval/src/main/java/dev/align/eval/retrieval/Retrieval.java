package dev.align.eval.retrieval;

import static dev.align.core.Checks.checkArgument;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Recall@k for image-text retrieval over unit embeddings, as CLIP_benchmark's
 * {@code zeroshot_retrieval} (which DataComp runs): scores are dot products; a text query is
 * right at {@code k} if its own image is among the {@code k} best images; an image query is
 * right at {@code k} if <em>any</em> of its captions is among the {@code k} best texts.
 *
 * <p>Ranking is deterministic: by score, highest first, ties broken by the lower index (torch's
 * {@code topk} leaves tie order unspecified). Scores are accumulated in double precision. Cost
 * {@code O(I * T * E)} time and {@code O(I + T)} extra memory. Pure Java, no tensors.
 */
public final class Retrieval {

    /** The cut-offs DataComp and CLIP_benchmark report. */
    public static final List<Integer> DEFAULT_KS = List.of(1, 5, 10);

    private Retrieval() {}

    /**
     * Recall at each {@code k} in both directions.
     *
     * @param images {@code [I][E]} image embeddings
     * @param texts {@code [T][E]} text embeddings
     * @param textImage {@code [T]}: the index of each text's image; every image needs at least one
     *     text
     * @param ks cut-offs, each {@code >= 1}
     * @return one {@link RecallAtK} per cut-off, ascending
     */
    public static List<RecallAtK> recalls(float[][] images, float[][] texts, int[] textImage,
            List<Integer> ks) {
        checkArgument(images != null && texts != null && textImage != null, "inputs must not be null");
        checkArgument(images.length > 0 && texts.length > 0, "need at least one image and one text, "
                + "got %s and %s", images.length, texts.length);
        checkArgument(textImage.length == texts.length, "textImage has %s entries for %s texts",
                textImage.length, texts.length);
        checkArgument(ks != null && !ks.isEmpty() && ks.stream().allMatch(k -> k != null && k >= 1),
                "cut-offs must be >= 1, got %s", ks);
        int dim = images[0].length;
        for (float[] v : images) {
            checkArgument(v.length == dim, "image embeddings differ in length (%s vs %s)", v.length, dim);
        }
        for (float[] v : texts) {
            checkArgument(v.length == dim, "text embedding has %s values, images %s", v.length, dim);
        }
        int[] captions = new int[images.length];
        for (int t = 0; t < textImage.length; t++) {
            int i = textImage[t];
            checkArgument(i >= 0 && i < images.length, "text %s belongs to image %s, outside [0, %s)",
                    t, i, images.length);
            captions[i]++;
        }
        for (int i = 0; i < images.length; i++) {
            checkArgument(captions[i] > 0, "image %s has no caption", i);
        }

        // text -> image: the score of each text's own image, then count images that beat it
        double[] target = new double[texts.length];
        for (int t = 0; t < texts.length; t++) {
            target[t] = dot(images[textImage[t]], texts[t]);
        }
        int[] textRank = new int[texts.length];
        int[] imageRank = new int[images.length];
        double[] row = new double[texts.length];
        for (int i = 0; i < images.length; i++) {
            int best = -1;
            for (int t = 0; t < texts.length; t++) {
                double s = dot(images[i], texts[t]);
                row[t] = s;
                if (s > target[t] || (s == target[t] && i < textImage[t])) {
                    textRank[t]++;
                }
                if (textImage[t] == i && (best < 0 || s > row[best])) {
                    best = t;                     // the best own caption (first of equals)
                }
            }
            // image -> text: the rank of its best caption is the rank of the first caption of
            // its own in the total order
            int rank = 0;
            for (int t = 0; t < texts.length; t++) {
                if (row[t] > row[best] || (row[t] == row[best] && t < best)) {
                    rank++;
                }
            }
            imageRank[i] = rank;
        }
        List<Integer> sorted = new ArrayList<>(ks);
        sorted.sort(null);
        List<RecallAtK> out = new ArrayList<>();
        for (int k : sorted.stream().distinct().toList()) {
            double i2t = Arrays.stream(imageRank).filter(r -> r < k).count() / (double) images.length;
            double t2i = Arrays.stream(textRank).filter(r -> r < k).count() / (double) texts.length;
            out.add(new RecallAtK(k, i2t, t2i, (i2t + t2i) / 2));
        }
        return out;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int d = 0; d < a.length; d++) {
            s += (double) a[d] * b[d];
        }
        return s;
    }
}
