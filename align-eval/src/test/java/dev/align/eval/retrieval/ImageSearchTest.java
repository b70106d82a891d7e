package dev.align.eval.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageSearchTest {

    @Test
    void findsTheBestImagesBestFirst() {
        float[][] images = {{1, 0}, {0, 1}, {0.6f, 0.8f}, {-1, 0}};
        ImageSearch index = ImageSearch.of(List.of("a", "b", "c", "d"), images);
        List<ImageSearch.Hit> top = index.search(new float[] {0, 1}, 2);
        assertEquals(List.of("b", "c"), top.stream().map(ImageSearch.Hit::id).toList());
        assertEquals(0.8, top.get(1).score(), 1e-7);
    }

    @Test
    void agreesWithASortOfAllScores() {
        Random random = new Random(7);
        int n = 503;
        float[][] images = new float[n][];
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            images[i] = new float[] {random.nextInt(5), random.nextInt(5), random.nextInt(5)};
            ids.add("img" + i);
        }
        float[] q = {0.3f, -0.2f, 0.9f};
        List<ImageSearch.Hit> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int d = 0; d < 3; d++) {
                s += (double) images[i][d] * q[d];
            }
            all.add(new ImageSearch.Hit(i, ids.get(i), s));
        }
        // Many exact ties (integer coordinates): the lower index must win each.
        all.sort(Comparator.comparingDouble(ImageSearch.Hit::score).reversed()
                .thenComparingInt(ImageSearch.Hit::index));
        assertEquals(all.subList(0, 37), ImageSearch.of(ids, images).search(q, 37));
    }

    @Test
    void dropsUnreadableImagesButKeepsPositions() {
        float[][] images = {null, {0, 1}, null, {1, 0}};
        ImageSearch index = ImageSearch.of(List.of("bad", "b", "bad2", "d"), images);
        assertEquals(2, index.size());
        List<ImageSearch.Hit> top = index.search(new float[] {1, 0}, 10);
        assertEquals(3, top.get(0).index());
        assertEquals(2, top.size());
    }

    @Test
    void rejectsBadInputWithTheValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageSearch.of(List.of("a"), new float[][] {null}));
        assertTrue(e.getMessage().contains("all 1 embeddings are null"), e.getMessage());
        ImageSearch index = ImageSearch.of(List.of("a"), new float[][] {{1, 0}});
        e = assertThrows(IllegalArgumentException.class, () -> index.search(new float[3], 1));
        assertTrue(e.getMessage().contains("query has 3 values, the images 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> index.search(new float[2], 0));
        assertTrue(e.getMessage().contains("k must be >= 1, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ImageSearch.of(List.of("a", "b"), new float[][] {{1, 0}}));
        assertTrue(e.getMessage().contains("2 ids for 1 embeddings"), e.getMessage());
    }
}
