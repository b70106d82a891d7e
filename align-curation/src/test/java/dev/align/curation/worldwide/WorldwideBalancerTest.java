package dev.align.curation.worldwide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.curation.metaclip.BalanceDecision;
import dev.align.curation.metaclip.EntryCounts;
import dev.align.curation.metaclip.MetaClipBalancer;
import dev.align.curation.metaclip.PairIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorldwideBalancerTest {

    private static final Map<String, EntryCounts> COUNTS = Map.of(
            "en", EntryCounts.of(new long[] {1, 2, 3, 4, 10, 0}),
            "de", EntryCounts.of(new long[] {5, 1, 1, 3, 10}),
            "ja", EntryCounts.of(new long[] {2, 2}),
            "th", EntryCounts.of(new long[] {0, 0}));

    /** t_en = 4 gives p = 6/20 = 0.3; German's t is then 3, Japanese's 2 (TailShareTest). */
    @Test
    void derivesEachLanguagesThresholdFromTheEnglishTailShare() {
        WorldwideBalancer b = new WorldwideBalancer(COUNTS, 4, 7);
        assertEquals(0.3, b.tailShare(), 1e-15);
        assertEquals(Map.of("en", 4L, "de", 3L, "ja", 2L), b.thresholds(), "th matched nothing");
        // German entries 0 (count 5) and 4 (count 10) under t = 3: p = 0.6 and 0.3,
        // keep probability 1 - 0.4 * 0.7 = 0.72; the coins are MetaCLIP's, seeded.
        WorldwideDecision d = b.decide(11, "de", LanguageGuess.Source.RECORDED, new int[] {0, 4});
        assertEquals(3, d.threshold());
        assertEquals(0.72, d.decision().keepProbability(), 1e-12);
        BalanceDecision same = new MetaClipBalancer(COUNTS.get("de"), 3, 7).decide(11,
                new int[] {0, 4});
        assertEquals(same, d.decision());
        WorldwideDecision none = b.decide(12, null, LanguageGuess.Source.NONE, new int[0]);
        assertFalse(none.decision().kept());
        assertEquals(BalanceDecision.Reason.NO_MATCH, none.decision().reason());
        assertEquals(0, b.decide(13, "th", LanguageGuess.Source.RECORDED, new int[0]).threshold());
    }

    @Test
    void needsEnglishMatches() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WorldwideBalancer(Map.of("de", COUNTS.get("de")), 4, 0));
        assertTrue(e.getMessage().contains("English") && e.getMessage().contains("[de]"),
                e.getMessage());
    }

    /** The whole pool: languages from the record or the script, deterministic in any order. */
    @Test
    void curatesAPoolOfSeveralLanguagesDeterministically() {
        WorldwideMatcher m = WorldwideMatcher.build(Map.of(
                "en", List.of("dog", "fox", "face"),
                "de", List.of("Hund", "Fuchs"),
                "ja", List.of("犬", "キツネ")));
        List<String> captions = new ArrayList<>();
        List<String> recorded = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            captions.add(i % 2 == 0 ? "dog face" : "fox face");
            recorded.add("en");
            captions.add(i % 3 == 0 ? "Fuchs" : "Hund");
            recorded.add("de");
            captions.add("キツネと犬");
            recorded.add(i % 4 == 0 ? "en" : null);                 // the script says Japanese
        }
        long[] ids = new long[captions.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = PairIds.of("k" + i);
        }
        WorldwideCuration.Result r = WorldwideCuration.curate(captions, recorded, ids, m, 10, 3);
        assertEquals(40, r.counts().get("en").count(2), "face: every English caption");
        assertEquals(40, r.counts().get("ja").count(0), "犬, identified by script");
        WorldwideDecision ja = r.decisions().get(2);
        assertEquals("ja", ja.language());
        assertEquals(LanguageGuess.Source.IDENTIFIED, ja.languageSource());
        assertEquals(r.balancer().thresholds().get("ja").longValue(), ja.threshold());
        // Reversed input order: every pair's decision is the same.
        List<String> rc = new ArrayList<>(captions);
        List<String> rr = new ArrayList<>(recorded);
        java.util.Collections.reverse(rc);
        java.util.Collections.reverse(rr);
        long[] rid = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            rid[i] = ids[ids.length - 1 - i];
        }
        WorldwideCuration.Result back = WorldwideCuration.curate(rc, rr, rid, m, 10, 3);
        for (int i = 0; i < ids.length; i++) {
            assertEquals(r.decisions().get(i), back.decisions().get(ids.length - 1 - i));
        }
        assertEquals(Set.of("de", "en", "ja"), r.balancer().thresholds().keySet());
    }

    @Test
    void readsTheRecordedLanguageFromTheSampleJson() {
        assertEquals("de", WorldwideCuration.recordedLanguage(
                "{\"lang\":\"de\",\"label\":\"Fuchs\"}".getBytes()));
        assertNull(WorldwideCuration.recordedLanguage("{\"label\":\"x\"}".getBytes()));
        assertNull(WorldwideCuration.recordedLanguage("{not json".getBytes()));
        assertNull(WorldwideCuration.recordedLanguage(null));
    }
}
