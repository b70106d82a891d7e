package dev.align.curation.rules;

/** When a caption's rare tokens drop it. */
public enum RareTokenMode {
    /** Any of its unigrams or bigrams is rare: ALIGN's rule ("alt-texts that contain any rare token"). */
    ANY,
    /** All of its unigrams and bigrams are rare (and it has at least one): a milder rule. */
    ALL,
    /** The rule is off. */
    OFF
}
