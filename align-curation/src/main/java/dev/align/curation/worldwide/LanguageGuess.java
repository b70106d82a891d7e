package dev.align.curation.worldwide;

/**
 * The language a caption is curated in, and where it came from.
 *
 * @param language a language code ({@code en}, {@code zh-hant}), or null when neither the caption
 *     nor its sample tells
 * @param source how it was decided
 */
public record LanguageGuess(String language, Source source) {

    /** How a caption's language was decided. */
    public enum Source {
        /** Identified from the caption's text (its script named one language). */
        IDENTIFIED("identified"),
        /** The language recorded with the sample ({@code lang} in its {@code .json}). */
        RECORDED("recorded"),
        /** Neither: the caption has no language and matches no metadata. */
        NONE("none");

        private final String label;

        Source(String label) {
            this.label = label;
        }

        /** @return the snake_case label written to decision files */
        public String label() {
            return label;
        }
    }

    /** Checks that a language comes with a source that gives one. */
    public LanguageGuess {
        dev.align.core.Checks.checkArgument(source != null && (language == null)
                == (source == Source.NONE), "inconsistent language guess: %s from %s", language,
                source);
    }
}
