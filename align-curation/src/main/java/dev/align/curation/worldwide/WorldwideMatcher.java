package dev.align.curation.worldwide;

import dev.align.core.Checks;
import dev.align.curation.metaclip.MetadataMatcher;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * MetaCLIP 2's matching: a caption is matched against the metadata of its own language only, with
 * MetaCLIP's space-delimited substring semantics ({@link MetadataMatcher}) after
 * {@link WordSegmenter} has put spaces between the words of scripts written without them, in the
 * caption and in every entry alike. For space-delimited text segmentation changes nothing, so an
 * English caption matches exactly the entries MetaCLIP matches.
 *
 * <p>Immutable and thread-safe. Entry ids are indices in that language's list.
 */
public final class WorldwideMatcher {

    private static final int[] NONE = new int[0];

    private final Map<String, MetadataMatcher> byLanguage;

    private WorldwideMatcher(Map<String, MetadataMatcher> byLanguage) {
        this.byLanguage = byLanguage;
    }

    /**
     * Builds one matcher per language.
     *
     * @param metadata entries per language code
     * @return the matcher
     */
    public static WorldwideMatcher build(Map<String, List<String>> metadata) {
        Checks.checkArgument(metadata != null && !metadata.isEmpty(), "no metadata language given");
        Map<String, MetadataMatcher> out = new TreeMap<>();
        metadata.forEach((lang, entries) -> out.put(lang, MetadataMatcher.build(
                entries.stream().map(WordSegmenter::segment).toList())));
        return new WorldwideMatcher(Collections.unmodifiableMap(out));
    }

    /** @return the languages with metadata, sorted */
    public Set<String> languages() {
        return byLanguage.keySet();
    }

    /**
     * @param language a language with metadata
     * @return the size of its list
     */
    public int numEntries(String language) {
        MetadataMatcher m = byLanguage.get(language);
        Checks.checkArgument(m != null, "no metadata for language '%s'", language);
        return m.numEntries();
    }

    /**
     * The entries of the caption's language that it matches.
     *
     * @param caption the caption
     * @param language its language; null or a language without metadata matches nothing
     * @return ascending distinct entry ids of that language's list
     */
    public int[] match(String caption, String language) {
        MetadataMatcher m = language == null ? null : byLanguage.get(language);
        return m == null ? NONE : m.match(WordSegmenter.segment(caption));
    }
}
