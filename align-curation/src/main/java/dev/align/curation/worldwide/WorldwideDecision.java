package dev.align.curation.worldwide;

import dev.align.curation.metaclip.BalanceDecision;

/**
 * Why {@link WorldwideBalancer} kept or dropped one pair.
 *
 * @param language the language it was curated in (null: none known, so no metadata matched)
 * @param languageSource how that language was decided
 * @param threshold that language's {@code t} ({@code 0} when the language has no threshold
 *     because none of its captions matched)
 * @param decision MetaCLIP's decision under that threshold: matched entries' keep probability,
 *     the entry that kept it, the outcome
 */
public record WorldwideDecision(String language, LanguageGuess.Source languageSource,
        long threshold, BalanceDecision decision) {}
