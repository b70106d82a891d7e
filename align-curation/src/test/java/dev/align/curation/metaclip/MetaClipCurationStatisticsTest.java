package dev.align.curation.metaclip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MetaCLIP from captions to kept pairs on a large synthetic pool: metadata built from the corpus,
 * matched, counted and balanced with key-derived pair ids.
 */
class MetaClipCurationStatisticsTest {

    @Test
    void keptFractionPerEntryIsCloseToMinOfOneAndTOverCount() {
        // 40 entries "w0".."w39"; entry k is the only entry in 60 * (k + 1)^1.5 captions (a skewed,
        // head-heavy distribution: 60 to 15,179 pairs against t = 2000)
        int entries = 40;
        List<String> captions = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < entries; k++) {
            int n = (int) (60 * Math.pow(k + 1, 1.5));
            for (int i = 0; i < n; i++) {
                captions.add("photo of w" + k + ", " + i % 7);
                keys.add("s" + k + "-" + i);
            }
        }
        assertTrue(captions.size() > 150_000, "pool of " + captions.size());
        List<String> vocabulary = new ArrayList<>();
        for (int k = entries - 1; k >= 0; k--) {
            vocabulary.add("w" + k);
        }
        vocabulary.add("dog"); // never matched
        List<String> metadata = Metadata.fromVocabulary(vocabulary);
        MetadataMatcher matcher = MetadataMatcher.build(metadata);
        List<int[]> matches = matcher.matchAll(captions, 2);
        EntryCounts counts = EntryCounts.count(matcher.numEntries(), matches);
        long t = 2000;
        MetaClipBalancer balancer = new MetaClipBalancer(counts, t, 42);
        long[] ids = keys.stream().mapToLong(PairIds::of).toArray();
        List<BalanceDecision> decisions = balancer.decideAll(ids, matches, 2);

        for (int k = 0; k < entries; k++) {
            int e = metadata.indexOf("w" + k);
            long total = 0;
            long kept = 0;
            for (int i = 0; i < captions.size(); i++) {
                int[] m = matches.get(i);
                boolean hasEntry = false;
                for (int id : m) {
                    hasEntry |= id == e;
                }
                if (hasEntry) {
                    total++;
                    kept += decisions.get(i).kept() ? 1 : 0;
                }
            }
            // each caption of entry k matches only "w<k>", so its pairs are kept at p = min(1, t/count)
            assertEquals((long) (60 * Math.pow(k + 1, 1.5)), total);
            double p = Math.min(1.0, (double) t / total);
            // kept ~ Binomial(total, p): 5 standard deviations (+1 for the discreteness) bound it,
            // a false alarm in about 6e-7 per entry for these fixed seeds
            double sigma = Math.sqrt(total * p * (1 - p));
            assertTrue(Math.abs(kept - total * p) <= 5 * sigma + 1, String.format(
                    "entry w%s: kept %s of %s, expected %.1f +- %.1f", k, kept, total, total * p, sigma));
            assertEquals(Math.min(1.0, (double) t / total), balancer.entryProbability(e), 1e-15);
        }
    }
}
