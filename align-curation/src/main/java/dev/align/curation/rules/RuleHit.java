package dev.align.curation.rules;

/**
 * An ALIGN rule a pair breaks. The declaration order is the order in which the rules are reported:
 * the first hit is the reason a pair is dropped.
 */
public enum RuleHit {
    /** The image's shorter side is below {@link AlignRulesConfig#minShorterSide()}. */
    IMAGE_TOO_SMALL("image_too_small"),
    /** The image's longer side exceeds {@link AlignRulesConfig#maxAspectRatio()} times its shorter. */
    ASPECT_RATIO("aspect_ratio"),
    /** The image (by content) comes with more than {@link AlignRulesConfig#maxCaptionsPerImage()} captions. */
    IMAGE_SHARED("image_shared"),
    /** The caption comes with more than {@link AlignRulesConfig#maxImagesPerCaption()} images. */
    CAPTION_SHARED("caption_shared"),
    /** The caption has fewer than {@link AlignRulesConfig#minWords()} words. */
    TOO_FEW_WORDS("too_few_words"),
    /** The caption has more than {@link AlignRulesConfig#maxWords()} words. */
    TOO_MANY_WORDS("too_many_words"),
    /** The caption has rare tokens, per {@link AlignRulesConfig#rareTokenMode()}. */
    RARE_TOKENS("rare_tokens");

    private final String label;

    RuleHit(String label) {
        this.label = label;
    }

    /** @return the snake_case label written to decision files */
    public String label() {
        return label;
    }
}
