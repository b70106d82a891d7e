package dev.align.eval.retrieval;

import static dev.align.core.Checks.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Text-to-image search over a fixed set of unit image embeddings: the {@code k} images whose
 * embeddings have the largest dot product (the cosine, for unit vectors) with a query embedding.
 * Ranking is deterministic, as in {@link Retrieval}: by score, highest first, ties to the lower
 * index; scores are accumulated in double precision. Exact (a scan of all {@code N} images,
 * {@code O(N * E)} per query); immutable and thread-safe.
 *
 * <pre>{@code
 * try (ClipEmbedder clip = ClipEmbedder.open(modelDir)) {
 *     EmbeddingResult r = clip.encodeImageFiles(files);
 *     ImageSearch index = ImageSearch.of(names, r.embeddings());   // unreadable files are null: dropped
 *     List<ImageSearch.Hit> top = index.search(clip.encodeText("a red fox"), 5);
 * }
 * }</pre>
 */
public final class ImageSearch {

    /**
     * One result.
     *
     * @param index the image's position in the list the index was built from
     * @param id the image's identifier (file name, sample key, ...)
     * @param score the dot product with the query
     */
    public record Hit(int index, String id, double score) {}

    private final List<String> ids;
    private final float[][] embeddings;
    private final int[] positions;
    private final int dim;

    private ImageSearch(List<String> ids, float[][] embeddings, int[] positions, int dim) {
        this.ids = ids;
        this.embeddings = embeddings;
        this.positions = positions;
        this.dim = dim;
    }

    /**
     * An index over {@code embeddings[i]} named {@code ids.get(i)}; {@code null} rows (images that
     * could not be read, as {@code EmbeddingResult} leaves them) are left out, and the hits keep
     * the original positions.
     *
     * @throws IllegalArgumentException if the lists differ in length, no row is usable, or rows
     *     differ in length
     */
    public static ImageSearch of(List<String> ids, float[][] embeddings) {
        checkArgument(ids != null && embeddings != null, "ids and embeddings must not be null");
        checkArgument(ids.size() == embeddings.length, "%s ids for %s embeddings", ids.size(),
                embeddings.length);
        List<float[]> rows = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        int dim = -1;
        for (int i = 0; i < embeddings.length; i++) {
            float[] e = embeddings[i];
            if (e == null) {
                continue;
            }
            if (dim < 0) {
                dim = e.length;
            }
            checkArgument(e.length == dim, "embedding %s has %s values, the first has %s", i,
                    e.length, dim);
            rows.add(e);
            names.add(ids.get(i));
            at.add(i);
        }
        checkArgument(!rows.isEmpty(), "no image to search: all %s embeddings are null",
                embeddings.length);
        return new ImageSearch(List.copyOf(names), rows.toArray(float[][]::new),
                at.stream().mapToInt(Integer::intValue).toArray(), dim);
    }

    /** Images in the index. */
    public int size() {
        return embeddings.length;
    }

    /**
     * The {@code min(k, size())} best images for {@code query}, best first.
     *
     * @throws IllegalArgumentException if {@code k < 1} or the query's length differs from the
     *     images'
     */
    public List<Hit> search(float[] query, int k) {
        checkArgument(query != null && query.length == dim, "query has %s values, the images %s",
                query == null ? null : query.length, dim);
        checkArgument(k >= 1, "k must be >= 1, got %s", k);
        // Min-heap of the best k so far: its head is the worst kept (lowest score, then higher index).
        PriorityQueue<Hit> best = new PriorityQueue<>(
                (a, b) -> a.score() != b.score() ? Double.compare(a.score(), b.score())
                        : Integer.compare(b.index(), a.index()));
        for (int r = 0; r < embeddings.length; r++) {
            float[] e = embeddings[r];
            double s = 0;
            for (int d = 0; d < dim; d++) {
                s += (double) e[d] * query[d];
            }
            if (best.size() < k) {
                best.add(new Hit(positions[r], ids.get(r), s));
            } else if (s > best.peek().score()) {             // equal scores keep the lower index
                best.poll();
                best.add(new Hit(positions[r], ids.get(r), s));
            }
        }
        List<Hit> out = new ArrayList<>(best);
        out.sort((a, b) -> a.score() != b.score() ? Double.compare(b.score(), a.score())
                : Integer.compare(a.index(), b.index()));
        return out;
    }
}
