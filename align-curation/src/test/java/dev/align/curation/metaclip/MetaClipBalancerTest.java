package dev.align.curation.metaclip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetaClipBalancerTest {

    /** Entry e is matched alone by 500 * (e + 1) pairs; then pairs matching {e, e + 1}. */
    private static List<int[]> syntheticPool(int numEntries, int pairsPerPairOfEntries) {
        List<int[]> pool = new ArrayList<>();
        for (int e = 0; e < numEntries; e++) {
            for (int i = 0; i < 500 * (e + 1); i++) {
                pool.add(new int[] {e});
            }
        }
        for (int e = 0; e + 1 < numEntries; e++) {
            for (int i = 0; i < pairsPerPairOfEntries; i++) {
                pool.add(new int[] {e, e + 1});
            }
        }
        pool.add(new int[0]);
        return pool;
    }

    private static long[] ids(int n) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 1_000_003L * i + 17; // arbitrary stable ids, not positions
        }
        return ids;
    }

    @Test
    void keptFractionPerEntryIsMinOfOneAndThresholdOverCount() {
        int numEntries = 30;
        List<int[]> pool = syntheticPool(numEntries, 3000);
        EntryCounts counts = EntryCounts.count(numEntries, pool);
        long t = 4000;
        MetaClipBalancer balancer = new MetaClipBalancer(counts, t, 12345);
        List<BalanceDecision> decisions = balancer.decideAll(ids(pool.size()), pool, 4);
        long[] singleKept = new long[numEntries];
        long[] singleTotal = new long[numEntries];
        long[] pairKept = new long[numEntries];
        long[] pairTotal = new long[numEntries];
        for (int i = 0; i < pool.size(); i++) {
            int[] m = pool.get(i);
            BalanceDecision d = decisions.get(i);
            if (m.length == 1) {
                singleTotal[m[0]]++;
                singleKept[m[0]] += d.kept() ? 1 : 0;
            } else if (m.length == 2) {
                pairTotal[m[0]]++;
                pairKept[m[0]] += d.kept() ? 1 : 0;
            }
        }
        for (int e = 0; e < numEntries; e++) {
            double p = Math.min(1.0, (double) t / counts.count(e));
            assertEquals(p, balancer.entryProbability(e), 1e-15);
            assertBinomial(p, singleKept[e], singleTotal[e], "entry " + e);
            if (e + 1 < numEntries) {
                double q = 1 - (1 - p) * (1 - balancer.entryProbability(e + 1));
                assertBinomial(q, pairKept[e], pairTotal[e], "entries " + e + "," + (e + 1));
            }
        }
    }

    /** Within 5 binomial standard deviations (a false alarm about once in 1.7 million). */
    private static void assertBinomial(double p, long kept, long n, String what) {
        double sd = Math.sqrt(p * (1 - p) / n);
        double fraction = (double) kept / n;
        assertTrue(Math.abs(fraction - p) <= 5 * sd + 1e-12,
                String.format("%s: kept %s of %s (%.4f), expected %.4f +- %.4f", what, kept, n,
                        fraction, p, 5 * sd));
    }

    @Test
    void decisionsDoNotDependOnThreadsOrderOrSharding() {
        List<int[]> pool = syntheticPool(20, 500);
        long[] ids = ids(pool.size());
        EntryCounts whole = EntryCounts.count(20, pool);
        int half = pool.size() / 2;
        EntryCounts sharded = EntryCounts.count(20, pool.subList(half, pool.size()))
                .plus(EntryCounts.count(20, pool.subList(0, half)));
        assertEquals(whole, sharded);

        MetaClipBalancer balancer = new MetaClipBalancer(whole, 3000, 99);
        List<BalanceDecision> one = balancer.decideAll(ids, pool, 1);
        assertEquals(one, balancer.decideAll(ids, pool, 8));
        assertEquals(one, new MetaClipBalancer(sharded, 3000, 99).decideAll(ids, pool, 3));

        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < pool.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(5));
        long[] shuffledIds = new long[ids.length];
        List<int[]> shuffledPool = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            shuffledIds[i] = ids[order.get(i)];
            shuffledPool.add(pool.get(order.get(i)));
        }
        Map<Long, BalanceDecision> byId = new HashMap<>();
        for (BalanceDecision d : balancer.decideAll(shuffledIds, shuffledPool, 8)) {
            byId.put(d.pairId(), d);
        }
        for (BalanceDecision d : one) {
            assertEquals(d, byId.get(d.pairId()));
        }
    }

    @Test
    void explainsEachDecision() {
        EntryCounts counts = EntryCounts.of(new long[] {10, 1_000_000, 1_000_000});
        MetaClipBalancer balancer = new MetaClipBalancer(counts, 100, 0);
        BalanceDecision none = balancer.decide(7, new int[0]);
        assertEquals(BalanceDecision.Reason.NO_MATCH, none.reason());
        assertEquals("no_match", none.reason().label());
        assertFalse(none.kept());
        assertEquals(-1, none.keptByEntry());

        BalanceDecision tail = balancer.decide(7, new int[] {0, 1});
        assertTrue(tail.kept()); // p[0] = 1: tail entries keep every pair
        assertEquals(0, tail.keptByEntry());
        assertEquals(1.0, tail.keepProbability());

        long sampledOut = 0;
        for (long pair = 0; pair < 2000; pair++) {
            BalanceDecision d = balancer.decide(pair, new int[] {1, 2});
            assertEquals(1 - (1 - 1e-4) * (1 - 1e-4), d.keepProbability(), 1e-15);
            if (d.kept()) {
                assertTrue(MetaClipBalancer.coin(0, pair, d.keptByEntry()) < 1e-4);
            } else {
                assertEquals(BalanceDecision.Reason.SAMPLED_OUT, d.reason());
                sampledOut++;
            }
        }
        assertTrue(sampledOut > 1990, "sampled out " + sampledOut);
    }

    @Test
    void coinIsTheDocumentedHash() {
        // Frozen values: changing the hash changes every curated set, so it must be deliberate.
        assertEquals(0x1.5a2a6c2c68bp-2, MetaClipBalancer.coin(0, 0, 0));
        assertEquals(0x1.556d45c619402p-2, MetaClipBalancer.coin(42, 7, 3));
        assertEquals(0x1.f29483060301fp-1, MetaClipBalancer.coin(-1, 123456789L, 499999));
        Random rng = new Random(3);
        double sum = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            double u = MetaClipBalancer.coin(rng.nextLong(), i, i % 1000);
            assertTrue(u >= 0 && u < 1);
            sum += u;
        }
        assertEquals(0.5, sum / n, 5 * Math.sqrt(1.0 / 12 / n));
    }

    @Test
    void rejectsBadInput() {
        MetaClipBalancer balancer = new MetaClipBalancer(EntryCounts.of(new long[3]), 10, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> balancer.decide(5, new int[] {2, 1}));
        assertTrue(e.getMessage().contains("pair 5") && e.getMessage().contains("[2, 1]"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> balancer.decide(5, new int[] {3}));
        e = assertThrows(IllegalArgumentException.class,
                () -> new MetaClipBalancer(EntryCounts.of(new long[3]), 0, 0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> EntryCounts.count(2, List.of(new int[] {0}, new int[] {2})));
        assertTrue(e.getMessage().contains("pair 1 matched entry 2"), e.getMessage());
    }
}
