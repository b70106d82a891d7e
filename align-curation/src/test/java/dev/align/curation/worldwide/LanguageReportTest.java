package dev.align.curation.worldwide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.core.json.Json;
import dev.align.curation.metaclip.BalanceDecision;
import java.util.List;
import org.junit.jupiter.api.Test;

class LanguageReportTest {

    private static WorldwideDecision decision(String lang, LanguageGuess.Source source, long t,
            boolean kept) {
        return new WorldwideDecision(lang, source, t, new BalanceDecision(1, kept, kept ? 1 : 0,
                kept ? 0 : -1, kept ? BalanceDecision.Reason.KEPT
                        : BalanceDecision.Reason.NO_MATCH));
    }

    @Test
    void sumsPairLinesPerLanguageInCodeOrderAsLanguagesJsonSaysThem() {
        List<LanguageReport.Line> lines = List.of(
                LanguageReport.Line.of(decision("th", LanguageGuess.Source.IDENTIFIED, 3, true), 2),
                LanguageReport.Line.of(decision(null, LanguageGuess.Source.NONE, 0, false), 0),
                LanguageReport.Line.of(decision("de", LanguageGuess.Source.RECORDED, 4, false), 0),
                LanguageReport.Line.of(decision("th", LanguageGuess.Source.RECORDED, 3, false), 1));
        LanguageReport r = LanguageReport.of(6, 0.5, lines);
        assertEquals(List.of(new LanguageReport.Line("de", 1, 0, 0, 0, 4),
                new LanguageReport.Line("none", 1, 0, 0, 0, 0),
                new LanguageReport.Line("th", 2, 1, 2, 1, 3)), r.languages());
        // The layout the local metaclip2 step has always written.
        assertEquals("{\"englishT\":6,\"tailShare\":0.5,\"languages\":[{\"language\":\"de\","
                + "\"pairs\":1,\"identified\":0,\"matched\":0,\"kept\":0,\"t\":4}",
                Json.write(r).replaceAll("\\s", "").substring(0, 112));
    }

    @Test
    void refusesToAddLinesThatDisagree() {
        LanguageReport.Line de = new LanguageReport.Line("de", 1, 0, 0, 0, 4);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> de.plus(new LanguageReport.Line("de", 1, 0, 0, 0, 5)));
        assertTrue(e.getMessage().contains("language de has two thresholds, 4 and 5"),
                e.getMessage());
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class,
                () -> de.plus(new LanguageReport.Line("th", 1, 0, 0, 0, 4)));
        assertTrue(a.getMessage().contains("cannot add the line of th to the line of de"),
                a.getMessage());
    }
}
