package dev.align.curation.worldwide;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align.core.Checks;
import dev.align.core.json.Json;
import dev.align.curation.metaclip.EntryCounts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * MetaCLIP 2 over a pool held in memory: identify each caption's language
 * ({@link ScriptLanguageId}, the recorded language as fallback), match it against that language's
 * metadata ({@link WorldwideMatcher}), count per language, derive the thresholds and decide every
 * pair ({@link WorldwideBalancer}). The Spark job and the local pipeline give the same decisions.
 */
public final class WorldwideCuration {

    private WorldwideCuration() {}

    /**
     * The outcome of a pool.
     *
     * @param decisions one per pair, in input order
     * @param matches matched entry ids per pair, in input order
     * @param counts entry counts per language, sorted by code
     * @param balancer the thresholds and tail share used
     */
    public record Result(List<WorldwideDecision> decisions, List<int[]> matches,
            Map<String, EntryCounts> counts, WorldwideBalancer balancer) {}

    /**
     * Curates a pool.
     *
     * @param captions one caption per pair
     * @param recorded the recorded language per pair (null entries allowed)
     * @param pairIds the stable id per pair ({@code PairIds.of(key)})
     * @param matcher the per-language metadata
     * @param englishThreshold {@code t_en}
     * @param seed the coins' seed
     * @return the decisions and what led to them
     */
    public static Result curate(List<String> captions, List<String> recorded, long[] pairIds,
            WorldwideMatcher matcher, long englishThreshold, long seed) {
        int n = captions.size();
        Checks.checkArgument(recorded.size() == n && pairIds.length == n,
                "%s captions, %s recorded languages and %s pair ids: give one of each per pair",
                n, recorded.size(), pairIds.length);
        ScriptLanguageId lid = new ScriptLanguageId(matcher.languages());
        List<LanguageGuess> guesses = new ArrayList<>(n);
        List<int[]> matches = new ArrayList<>(n);
        Map<String, long[]> tallies = new TreeMap<>();
        for (String lang : matcher.languages()) {
            tallies.put(lang, new long[matcher.numEntries(lang)]);
        }
        for (int i = 0; i < n; i++) {
            LanguageGuess g = lid.identify(captions.get(i), recorded.get(i));
            int[] m = matcher.match(captions.get(i), g.language());
            guesses.add(g);
            matches.add(m);
            // A caption without a language matches nothing (TreeMap.get(null) would throw).
            long[] tally = g.language() == null ? null : tallies.get(g.language());
            for (int e : m) {
                tally[e]++;
            }
        }
        Map<String, EntryCounts> counts = new TreeMap<>();
        tallies.forEach((lang, c) -> counts.put(lang, EntryCounts.of(c)));
        WorldwideBalancer balancer = new WorldwideBalancer(counts, englishThreshold, seed);
        List<WorldwideDecision> decisions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            decisions.add(balancer.decide(pairIds[i], guesses.get(i).language(),
                    guesses.get(i).source(), matches.get(i)));
        }
        return new Result(Collections.unmodifiableList(decisions),
                Collections.unmodifiableList(matches), Collections.unmodifiableMap(counts),
                balancer);
    }

    /**
     * The language a sample's {@code .json} member records ({@code "lang": "de"}), as the
     * multilingual emoji import writes it.
     *
     * @param json the member's bytes, or null
     * @return the code, or null when there is no member, no {@code lang} or no valid JSON
     */
    public static String recordedLanguage(byte[] json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode lang = Json.mapper().readTree(new String(json, StandardCharsets.UTF_8))
                    .path("lang");
            return lang.isTextual() && !lang.asText().isBlank() ? lang.asText() : null;
        } catch (IOException | RuntimeException e) {
            return null;                       // a corrupt .json leaves the language unknown
        }
    }
}
