package dev.align.experiments.pool;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.align.core.Checks;
import java.util.Arrays;
import java.util.List;

/** What was done to a pair's caption, as the manifest records it. */
public enum Defect {
    /** The pair's own caption, as its source gave it. */
    NONE("none"),
    /** The caption of another pair, of another concept. */
    MISMATCH("mismatch"),
    /** A file name as alt text: {@code IMG_0042.png}, {@code DSC01234.JPG}, ... */
    JUNK_FILENAME("junk_filename"),
    /** A single generic word: "image", "icon", "clipart", ... */
    JUNK_GENERIC("junk_generic"),
    /** Search-engine keyword soup: "free png download vector hd clipart", ... */
    JUNK_SOUP("junk_soup"),
    /** A caption that says nothing: "-", "n/a", "null", ... */
    JUNK_EMPTY("junk_empty");

    /** The junk kinds, in the order the injector cycles through them. */
    public static final List<Defect> JUNK = List.of(JUNK_FILENAME, JUNK_GENERIC, JUNK_SOUP,
            JUNK_EMPTY);

    private final String label;

    Defect(String label) {
        this.label = label;
    }

    /** @return the snake_case name used in the manifest and reports */
    @JsonValue
    public String label() {
        return label;
    }

    /** Whether this is an injected defect (anything but {@link #NONE}). */
    public boolean injected() {
        return this != NONE;
    }

    /** The defect named {@code label}. */
    @JsonCreator
    public static Defect of(String label) {
        for (Defect d : values()) {
            if (d.label.equals(label)) {
                return d;
            }
        }
        Checks.checkArgument(false, "unknown defect '%s'; known: %s", label,
                Arrays.stream(values()).map(Defect::label).toList());
        return null;
    }
}
