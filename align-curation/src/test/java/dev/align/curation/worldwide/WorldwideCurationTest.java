package dev.align.curation.worldwide;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.curation.metaclip.BalanceDecision;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorldwideCurationTest {

    private static final WorldwideMatcher MATCHER = WorldwideMatcher.build(Map.of(
            "en", List.of("red", "apple"), "de", List.of("roter", "Apfel")));

    @Test
    void aCaptionWithoutALanguageIsDroppedAsNoMatch() {
        // Found by WorldwideMetadataFuzzTest: a Latin caption with no recorded language, with
        // two Latin languages in the metadata, has no language, and counting its (empty)
        // matches threw a NullPointerException from TreeMap.get(null): any such pair crashed the
        // local metaclip2 step.
        WorldwideCuration.Result r = WorldwideCuration.curate(
                List.of("red apple", "roter Apfel", "red apple"), Arrays.asList("en", "de", null),
                new long[] {1, 2, 3}, MATCHER, 5, 0);
        WorldwideDecision none = r.decisions().get(2);
        assertEquals(null, none.language());
        assertEquals(LanguageGuess.Source.NONE, none.languageSource());
        assertEquals(0, none.threshold());
        assertEquals(BalanceDecision.Reason.NO_MATCH, none.decision().reason());
        assertArrayEquals(new int[0], r.matches().get(2));
        assertEquals(2, r.counts().get("en").totalMatches());          // red, apple: once each
        assertTrue(r.decisions().get(0).decision().kept());            // counts 1 < t = 5
    }

    @Test
    void mismatchedInputsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WorldwideCuration.curate(List.of("a"), List.of(), new long[1], MATCHER, 5,
                        0));
        assertTrue(e.getMessage().contains("1 captions, 0 recorded languages and 1 pair ids"),
                e.getMessage());
    }
}
