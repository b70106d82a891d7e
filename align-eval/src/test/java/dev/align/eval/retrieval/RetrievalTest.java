package dev.align.eval.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetrievalTest {

    @Test
    void handComputedRecallsWithSeveralCaptionsAndTies() {
        float[][] images = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        float[][] texts = {
            {1, 0, 0},        // image 0: ranks it first
            {0, 1, 0},        // image 0: image 1 beats it
            {0.5f, 0.5f, 0},  // image 1: tied with image 0, which has the lower index
            {0, 0, -1},       // image 2: both others beat it
        };
        int[] textImage = {0, 0, 1, 2};
        List<RecallAtK> r = Retrieval.recalls(images, texts, textImage, List.of(5, 1, 2, 3, 4));
        // text -> image ranks: 0, 1, 1, 2; image -> text ranks (best own caption): 0, 1, 3
        assertEquals(List.of(1, 2, 3, 4, 5), r.stream().map(RecallAtK::k).toList());
        double[] t2i = {1 / 4.0, 3 / 4.0, 1, 1, 1};
        double[] i2t = {1 / 3.0, 2 / 3.0, 2 / 3.0, 1, 1};
        for (int j = 0; j < 5; j++) {
            assertEquals(t2i[j], r.get(j).textToImage(), 1e-15, "k=" + r.get(j).k());
            assertEquals(i2t[j], r.get(j).imageToText(), 1e-15, "k=" + r.get(j).k());
            assertEquals((t2i[j] + i2t[j]) / 2, r.get(j).mean(), 1e-15);
        }
    }

    @Test
    void anyOwnCaptionInTheTopKCountsForAnImage() {
        float[][] images = {{1, 0}, {0, 1}};
        // image 0's first caption is poor (rank 2), its second one is the best text
        float[][] texts = {{-1, 0}, {0, 1}, {1, 0}};
        List<RecallAtK> r = Retrieval.recalls(images, texts, new int[] {0, 1, 0}, List.of(1));
        assertEquals(1.0, r.get(0).imageToText());
        assertEquals(2 / 3.0, r.get(0).textToImage(), 1e-15);  // text 0 ranks image 0 last
    }

    @Test
    void matchesBruteForceRankingOnRandomDataWithTies() {
        Random rnd = new Random(7);
        int n = 23;
        int e = 4;
        float[][] images = new float[n][e];
        List<float[]> texts = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < e; d++) {
                images[i][d] = rnd.nextInt(3) - 1;           // coarse values: many exact ties
            }
            int captions = 1 + rnd.nextInt(3);
            for (int c = 0; c < captions; c++) {
                float[] t = new float[e];
                for (int d = 0; d < e; d++) {
                    t[d] = rnd.nextInt(3) - 1;
                }
                texts.add(t);
                owner.add(i);
            }
        }
        float[][] tx = texts.toArray(float[][]::new);
        int[] textImage = owner.stream().mapToInt(Integer::intValue).toArray();
        List<Integer> ks = List.of(1, 2, 5, 10);
        List<RecallAtK> fast = Retrieval.recalls(images, tx, textImage, ks);
        for (int j = 0; j < ks.size(); j++) {
            int k = ks.get(j);
            int hits = 0;
            for (int i = 0; i < n; i++) {
                int img = i;
                List<Integer> top = topK(IntStream.range(0, tx.length)
                        .mapToDouble(t -> dot(images[img], tx[t])).toArray(), k);
                if (top.stream().anyMatch(t -> textImage[t] == img)) {
                    hits++;
                }
            }
            assertEquals(hits / (double) n, fast.get(j).imageToText(), 1e-15);
            hits = 0;
            for (int t = 0; t < tx.length; t++) {
                int txt = t;
                List<Integer> top = topK(IntStream.range(0, n)
                        .mapToDouble(i -> dot(images[i], tx[txt])).toArray(), k);
                if (top.contains(textImage[t])) {
                    hits++;
                }
            }
            assertEquals(hits / (double) tx.length, fast.get(j).textToImage(), 1e-15);
        }
    }

    private static List<Integer> topK(double[] scores, int k) {
        return IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparing(i -> i))
                .limit(k).toList();
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    @Test
    void rejectsImagesWithoutCaptionsAndBadOwners() {
        float[][] images = {{1}, {1}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Retrieval.recalls(images, new float[][] {{1}}, new int[] {0}, List.of(1)));
        assertTrue(e.getMessage().contains("image 1 has no caption"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Retrieval.recalls(images, new float[][] {{1}}, new int[] {2}, List.of(1)));
        assertThrows(IllegalArgumentException.class,
                () -> Retrieval.recalls(images, new float[][] {{1}, {1}}, new int[] {0, 1}, List.of(0)));
    }
}
