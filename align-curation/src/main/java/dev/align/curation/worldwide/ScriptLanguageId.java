package dev.align.curation.worldwide;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UScript;
import dev.align.core.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Per-caption language identification by writing system, with the sample's recorded language as
 * the fallback. The letters of the caption are counted by Unicode script (ICU4J's
 * {@link UScript}); the script with most letters (Han and kana together count as Japanese when any
 * kana is present) names the candidate languages among those curated: Thai script names
 * {@code th}, Hangul {@code ko}, Devanagari {@code hi}, Bengali {@code bn}, kana {@code ja}, Han
 * alone {@code zh}, {@code zh-hant} or {@code ja}, Cyrillic {@code ru} or {@code uk}, Latin the
 * Latin-script languages. Then:
 * <ul>
 *   <li>the recorded language is among the candidates: it is kept ({@code recorded}: the text
 *       agrees with it, and it is the finer label, {@code zh-hant} rather than {@code zh});
 *   <li>exactly one candidate: that language ({@code identified}), whatever was recorded (a
 *       Thai caption recorded as English is Thai);
 *   <li>several candidates or none (Latin text recorded as Thai; a language outside the table):
 *       the recorded language ({@code recorded}), or none.
 * </ul>
 *
 * <p>This is the fallback the issue allows when no language-identification library is reachable
 * on Maven Central from the build: it cannot tell Latin-script languages apart, and says so by
 * deferring to the record. Deterministic and thread-safe.
 */
public final class ScriptLanguageId {

    /** The script each emojibase language is written in. */
    private static final Map<String, String> SCRIPT_OF = Map.ofEntries(
            Map.entry("bn", "Beng"), Map.entry("hi", "Deva"), Map.entry("th", "Thai"),
            Map.entry("ko", "Hang"), Map.entry("ja", "Jpan"), Map.entry("zh", "Hani"),
            Map.entry("zh-hant", "Hani"), Map.entry("ru", "Cyrl"), Map.entry("uk", "Cyrl"),
            Map.entry("da", "Latn"), Map.entry("de", "Latn"), Map.entry("en", "Latn"),
            Map.entry("en-gb", "Latn"), Map.entry("es", "Latn"), Map.entry("es-mx", "Latn"),
            Map.entry("et", "Latn"), Map.entry("fi", "Latn"), Map.entry("fr", "Latn"),
            Map.entry("hu", "Latn"), Map.entry("it", "Latn"), Map.entry("lt", "Latn"),
            Map.entry("ms", "Latn"), Map.entry("nb", "Latn"), Map.entry("nl", "Latn"),
            Map.entry("pl", "Latn"), Map.entry("pt", "Latn"), Map.entry("sv", "Latn"),
            Map.entry("vi", "Latn"));

    private final Set<String> languages;

    /**
     * @param languages the languages curated (those with metadata); a caption is only ever
     *     identified as one of them
     */
    public ScriptLanguageId(Set<String> languages) {
        Checks.checkArgument(languages != null && !languages.isEmpty(), "no language to identify");
        this.languages = Set.copyOf(languages);
    }

    /**
     * The script code that names a caption's candidate languages: {@code Jpan} when it has kana,
     * else the ISO 15924 code of the script with most letters ({@code Latn}, {@code Hani},
     * {@code Thai}, ...; ties to the script seen first), or null without letters.
     *
     * @param caption the text
     * @return the script code or null
     */
    public static String dominantScript(String caption) {
        int[] counts = new int[UScript.CODE_LIMIT];
        int best = -1;
        boolean kana = false;
        for (int i = 0; i < caption.length(); ) {
            int cp = caption.codePointAt(i);
            i += Character.charCount(cp);
            if (!UCharacter.isLetter(cp)) {
                continue;
            }
            int s = UScript.getScript(cp);
            if (s == UScript.COMMON || s == UScript.INHERITED) {
                continue;
            }
            kana |= s == UScript.HIRAGANA || s == UScript.KATAKANA;
            counts[s]++;
            if (best < 0 || counts[s] > counts[best]) {
                best = s;
            }
        }
        if (kana) {
            return "Jpan";
        }
        return best < 0 ? null : UScript.getShortName(best);
    }

    /**
     * Decides a caption's language.
     *
     * @param caption the caption
     * @param recorded the language recorded with the sample, or null
     * @return the language and how it was decided
     */
    public LanguageGuess identify(String caption, String recorded) {
        String script = dominantScript(caption);
        List<String> candidates = new ArrayList<>();
        if (script != null) {
            for (String lang : new TreeSet<>(languages)) {
                String s = SCRIPT_OF.get(lang);
                if (script.equals(s) || (script.equals("Hani") && "Jpan".equals(s))) {
                    candidates.add(lang);
                }
            }
        }
        if (recorded != null && candidates.contains(recorded)) {
            return new LanguageGuess(recorded, LanguageGuess.Source.RECORDED);
        }
        if (candidates.size() == 1) {
            return new LanguageGuess(candidates.get(0), LanguageGuess.Source.IDENTIFIED);
        }
        return recorded == null ? new LanguageGuess(null, LanguageGuess.Source.NONE)
                : new LanguageGuess(recorded, LanguageGuess.Source.RECORDED);
    }
}
