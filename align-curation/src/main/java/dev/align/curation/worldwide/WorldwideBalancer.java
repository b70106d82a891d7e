package dev.align.curation.worldwide;

import dev.align.core.Checks;
import dev.align.curation.metaclip.BalanceDecision;
import dev.align.curation.metaclip.EntryCounts;
import dev.align.curation.metaclip.MetaClipBalancer;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * MetaCLIP 2's balancing: MetaCLIP's per-entry balancing run separately in each language, each
 * with its own threshold, derived from the English one so that every language keeps the English
 * tail share ({@link TailShare}): {@code p = tToP(counts_en, t_en)}, {@code t_lang =
 * pToT(counts_lang, p)}, {@code t_en} itself for English. Within a language the decision is
 * {@link MetaClipBalancer}'s: the same hash coins of (seed, pair id, entry id), so it is
 * deterministic and independent of order, sharding and threads, and explained per pair by its
 * language, the language's {@code t}, the keep probability and the entry that kept it.
 *
 * <p>Immutable and thread-safe.
 */
public final class WorldwideBalancer {

    /** The language whose threshold is given and whose tail share the others copy. */
    public static final String ENGLISH = "en";

    private final Map<String, MetaClipBalancer> byLanguage;
    private final Map<String, Long> thresholds;
    private final double tailShare;
    private final long seed;

    /**
     * @param counts entry counts of each language over the whole pool
     * @param englishThreshold {@code t_en}, {@code >= 1}
     * @param seed seed of the coins
     * @throws IllegalArgumentException if English is missing or matched nothing (its tail share,
     *     which every threshold derives from, is then undefined)
     */
    public WorldwideBalancer(Map<String, EntryCounts> counts, long englishThreshold, long seed) {
        Checks.checkArgument(counts != null, "counts must not be null");
        Checks.checkArgument(englishThreshold >= 1, "threshold t must be >= 1, got %s",
                englishThreshold);
        EntryCounts en = counts.get(ENGLISH);
        Checks.checkArgument(en != null && en.totalMatches() > 0, "no English caption matched the "
                + "English metadata (languages with matches: %s); MetaCLIP 2 derives every "
                + "language's threshold from the English tail share, so the pool needs English "
                + "pairs and en metadata", matchedLanguages(counts));
        this.tailShare = TailShare.tToP(en, englishThreshold);
        this.seed = seed;
        Map<String, MetaClipBalancer> balancers = new TreeMap<>();
        Map<String, Long> ts = new TreeMap<>();
        counts.forEach((lang, c) -> {
            if (c.totalMatches() > 0) {
                long t = lang.equals(ENGLISH) ? englishThreshold : TailShare.pToT(c, tailShare);
                balancers.put(lang, new MetaClipBalancer(c, t, seed));
                ts.put(lang, t);
            }
        });
        this.byLanguage = Collections.unmodifiableMap(balancers);
        this.thresholds = Collections.unmodifiableMap(ts);
    }

    private static java.util.List<String> matchedLanguages(Map<String, EntryCounts> counts) {
        return counts.entrySet().stream().filter(e -> e.getValue().totalMatches() > 0)
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** @return the English tail share {@code p} every language keeps */
    public double tailShare() {
        return tailShare;
    }

    /** @return {@code t} per language that matched anything, sorted by code */
    public Map<String, Long> thresholds() {
        return thresholds;
    }

    /** @return the seed of the coins */
    public long seed() {
        return seed;
    }

    /**
     * Decides one pair.
     *
     * @param pairId the pair's stable id
     * @param language its language ({@link ScriptLanguageId}), or null
     * @param source how that language was decided
     * @param entryIds its matched entry ids in that language's list, ascending and distinct
     * @return the decision; a pair without language or matches is dropped as {@code no_match}
     */
    public WorldwideDecision decide(long pairId, String language, LanguageGuess.Source source,
            int[] entryIds) {
        MetaClipBalancer b = language == null ? null : byLanguage.get(language);
        if (b == null) {
            Checks.checkArgument(entryIds.length == 0, "pair %s matched entries of language %s, "
                    + "whose counts are empty", pairId, language);
            return new WorldwideDecision(language, source, 0, new BalanceDecision(pairId, false,
                    0.0, -1, BalanceDecision.Reason.NO_MATCH));
        }
        return new WorldwideDecision(language, source, b.threshold(), b.decide(pairId, entryIds));
    }
}
