package dev.align.curation.rules;

import dev.align.core.Checks;
import dev.align.core.json.Json;
import dev.align.core.json.JsonOptional;

/**
 * Thresholds of the ALIGN rules, read from strict JSON; every key is optional and defaults to
 * ALIGN's value (Jia et al. 2021, section 3).
 *
 * <pre>{@code {"minShorterSide": 200, "maxAspectRatio": 3.0, "maxCaptionsPerImage": 1000,
 *  "maxImagesPerCaption": 10, "minWords": 3, "maxWords": 20,
 *  "rareTokenMode": "ANY", "rareTokenVocabulary": 100000000, "rareTokenMinCount": 1}}</pre>
 *
 * @param minShorterSide drop images whose shorter side is below this many pixels (200)
 * @param maxAspectRatio drop images whose longer side is more than this times the shorter (3)
 * @param maxCaptionsPerImage drop images (by content hash) paired with more than this many distinct
 *     captions in the pool (1000)
 * @param maxImagesPerCaption drop captions (by their words, see {@link CaptionWords}) paired with
 *     more than this many distinct images in the pool (10)
 * @param minWords drop captions with fewer words (3)
 * @param maxWords drop captions with more words (20)
 * @param rareTokenMode {@code ANY} (ALIGN: a caption with any rare unigram or bigram is dropped),
 *     {@code ALL} (only captions whose unigrams and bigrams are all rare) or {@code OFF}
 * @param rareTokenVocabulary the vocabulary is the this-many most frequent unigrams and bigrams of
 *     the pool (ALIGN: 100 million), ties at the boundary all in; a token outside it is rare
 * @param rareTokenMinCount a token seen fewer times than this in the pool is rare too (1: none)
 */
public record AlignRulesConfig(
        @JsonOptional Integer minShorterSide,
        @JsonOptional Double maxAspectRatio,
        @JsonOptional Integer maxCaptionsPerImage,
        @JsonOptional Integer maxImagesPerCaption,
        @JsonOptional Integer minWords,
        @JsonOptional Integer maxWords,
        @JsonOptional RareTokenMode rareTokenMode,
        @JsonOptional Long rareTokenVocabulary,
        @JsonOptional Long rareTokenMinCount) {

    /** Applies ALIGN's defaults and checks every value. */
    public AlignRulesConfig {
        minShorterSide = minShorterSide == null ? 200 : minShorterSide;
        maxAspectRatio = maxAspectRatio == null ? 3.0 : maxAspectRatio;
        maxCaptionsPerImage = maxCaptionsPerImage == null ? 1000 : maxCaptionsPerImage;
        maxImagesPerCaption = maxImagesPerCaption == null ? 10 : maxImagesPerCaption;
        minWords = minWords == null ? 3 : minWords;
        maxWords = maxWords == null ? 20 : maxWords;
        rareTokenMode = rareTokenMode == null ? RareTokenMode.ANY : rareTokenMode;
        rareTokenVocabulary = rareTokenVocabulary == null ? 100_000_000L : rareTokenVocabulary;
        rareTokenMinCount = rareTokenMinCount == null ? 1L : rareTokenMinCount;
        Checks.checkArgument(minShorterSide >= 0, "minShorterSide must be >= 0, got %s", minShorterSide);
        Checks.checkArgument(maxAspectRatio >= 1, "maxAspectRatio must be >= 1, got %s", maxAspectRatio);
        Checks.checkArgument(maxCaptionsPerImage >= 1, "maxCaptionsPerImage must be >= 1, got %s",
                maxCaptionsPerImage);
        Checks.checkArgument(maxImagesPerCaption >= 1, "maxImagesPerCaption must be >= 1, got %s",
                maxImagesPerCaption);
        Checks.checkArgument(minWords >= 0 && maxWords >= minWords,
                "need 0 <= minWords <= maxWords, got minWords %s and maxWords %s", minWords, maxWords);
        Checks.checkArgument(rareTokenVocabulary >= 1, "rareTokenVocabulary must be >= 1, got %s",
                rareTokenVocabulary);
        Checks.checkArgument(rareTokenMinCount >= 1, "rareTokenMinCount must be >= 1, got %s",
                rareTokenMinCount);
    }

    /** ALIGN's thresholds. */
    public static AlignRulesConfig defaults() {
        return new AlignRulesConfig(null, null, null, null, null, null, null, null, null);
    }

    /** Parses strict JSON (unknown keys rejected, the key named). */
    public static AlignRulesConfig fromJson(String json, String source) {
        return Json.parse(json, AlignRulesConfig.class, source);
    }

    /** This config as JSON, every default filled in. */
    public String toJson() {
        return Json.write(this);
    }
}
