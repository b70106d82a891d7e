package dev.align.curation.worldwide;

import dev.align.core.Checks;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a MetaCLIP 2 curation did in each language, as {@code languages.json} says it: the English
 * threshold, the tail share every language keeps and one {@link Line} per language. The local
 * {@code metaclip2} step and the Spark job build it from the same per-pair lines, so their files
 * are identical for the same pool.
 *
 * @param englishT the English threshold {@code t_en}
 * @param tailShare the English tail share {@code p} carried to every language
 * @param languages one line per language, sorted by code ({@link #NONE} for captions without one)
 */
public record LanguageReport(long englishT, double tailShare, List<Line> languages) {

    /** The language column of the pairs whose language is unknown. */
    public static final String NONE = "none";

    /** Copies the lines. */
    public LanguageReport {
        languages = List.copyOf(languages);
    }

    /**
     * Sums lines per language.
     *
     * @param englishT {@code t_en}
     * @param tailShare the English tail share
     * @param lines lines of single pairs or of partial sums, in any order
     * @return the report, one line per language sorted by code
     * @throws IllegalStateException if two lines of one language disagree on its {@code t}
     */
    public static LanguageReport of(long englishT, double tailShare, Collection<Line> lines) {
        Map<String, Line> byLanguage = new TreeMap<>();
        for (Line l : lines) {
            byLanguage.merge(l.language(), l, Line::plus);
        }
        return new LanguageReport(englishT, tailShare, new ArrayList<>(byLanguage.values()));
    }

    /**
     * One language's numbers.
     *
     * @param language the language code, or {@link #NONE}
     * @param pairs pairs curated in it
     * @param identified of those, how many by their script rather than their record
     * @param matched pairs that matched its metadata
     * @param kept pairs kept
     * @param t its threshold (0: nothing matched)
     */
    public record Line(String language, long pairs, long identified, long matched, long kept,
            long t) implements Serializable {

        private static final long serialVersionUID = 1L;

        /**
         * The line of one pair.
         *
         * @param decision the pair's decision
         * @param matchedEntries how many entries it matched
         * @return its line
         */
        public static Line of(WorldwideDecision decision, int matchedEntries) {
            return new Line(decision.language() == null ? NONE : decision.language(), 1,
                    decision.languageSource() == LanguageGuess.Source.IDENTIFIED ? 1 : 0,
                    matchedEntries > 0 ? 1 : 0, decision.decision().kept() ? 1 : 0,
                    decision.threshold());
        }

        /**
         * @param other a line of the same language
         * @return the sums
         */
        public Line plus(Line other) {
            Checks.checkArgument(language.equals(other.language), "cannot add the line of %s to "
                    + "the line of %s", other.language, language);
            Checks.checkState(t == other.t, "language %s has two thresholds, %s and %s",
                    language, t, other.t);
            return new Line(language, pairs + other.pairs, identified + other.identified,
                    matched + other.matched, kept + other.kept, t);
        }
    }
}
