package dev.align.curation.worldwide;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UScript;
import com.ibm.icu.text.BreakIterator;
import com.ibm.icu.util.ULocale;

/**
 * Puts spaces between the words of scripts written without them (Chinese, Japanese, Thai, Lao,
 * Khmer, Burmese, Tibetan), so that MetaCLIP's space-delimited matching finds whole words there
 * as it does in English: {@code "赤いリンゴと犬"} becomes {@code "赤い リンゴ と 犬"}, and the entry
 * {@code "リンゴ"} then matches it while {@code "リン"} does not.
 *
 * <p>MetaCLIP 2's own code instead drops the space padding of entries that begin or end in such a
 * script, so {@code "リン"} matches inside {@code "リンゴ"} and {@code "中国"} inside
 * {@code "中国人"}. Here word boundaries come from ICU's dictionary-based word break iterator
 * (ICU4J {@link BreakIterator#getWordInstance(ULocale)}, the same dictionaries for every locale):
 * a space is inserted at every boundary inside a maximal run of characters of those scripts, and at
 * the run's ends when a character other than white space touches them ({@code "iPhoneケース"} ->
 * {@code "iPhone ケース"}). Text with no such character is returned unchanged, so English and every
 * other space-delimited language match exactly as in MetaCLIP. Entries are segmented the same way
 * ({@link WorldwideMatcher}), so an entry matches a caption when its words are consecutive words of
 * the caption.
 *
 * <p>Thread-safe (one break iterator per thread).
 */
public final class WordSegmenter {

    private static final int[] NO_SPACE_SCRIPTS = {UScript.HAN, UScript.HIRAGANA,
        UScript.KATAKANA, UScript.THAI, UScript.LAO, UScript.KHMER, UScript.MYANMAR,
        UScript.TIBETAN};

    private static final ThreadLocal<BreakIterator> WORDS =
            ThreadLocal.withInitial(() -> BreakIterator.getWordInstance(ULocale.ROOT));

    private WordSegmenter() {}

    /**
     * Whether a code point belongs to a script written without spaces between words (by its
     * Unicode script extensions, so that the Japanese prolonged sound mark {@code ー} counts).
     *
     * @param codePoint a Unicode code point
     * @return true for Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar and Tibetan
     */
    public static boolean isNoSpaceScript(int codePoint) {
        for (int script : NO_SPACE_SCRIPTS) {
            if (UScript.hasScript(codePoint, script)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The text with its words in scripts without spaces separated by single spaces.
     *
     * @param text any text
     * @return the segmented text; {@code text} itself when it has no such script
     */
    public static String segment(String text) {
        int n = text.length();
        int first = 0;
        while (first < n && !isNoSpaceScript(text.codePointAt(first))) {
            first += Character.charCount(text.codePointAt(first));
        }
        if (first == n) {
            return text;
        }
        StringBuilder out = new StringBuilder(n + n / 2);
        out.append(text, 0, first);
        int i = first;
        while (i < n) {
            int cp = text.codePointAt(i);
            if (!isNoSpaceScript(cp)) {
                out.appendCodePoint(cp);
                i += Character.charCount(cp);
                continue;
            }
            int end = i;
            while (end < n && (isNoSpaceScript(text.codePointAt(end))
                    || isMark(text.codePointAt(end)))) {
                end += Character.charCount(text.codePointAt(end));
            }
            spaceBefore(out);
            String run = text.substring(i, end);
            BreakIterator words = WORDS.get();
            words.setText(run);
            int start = words.first();
            for (int b = words.next(); b != BreakIterator.DONE; start = b, b = words.next()) {
                if (start > 0) {
                    out.append(' ');
                }
                out.append(run, start, b);
            }
            i = end;
            if (i < n && !isSpace(text.codePointAt(i))) {
                out.append(' ');
            }
        }
        return out.toString();
    }

    private static void spaceBefore(StringBuilder out) {
        if (out.length() > 0 && !isSpace(out.codePointBefore(out.length()))) {
            out.append(' ');
        }
    }

    /** Combining marks stay with the run they follow (Thai vowel signs are Thai anyway). */
    private static boolean isMark(int cp) {
        int type = UCharacter.getType(cp);
        return type == UCharacter.NON_SPACING_MARK || type == UCharacter.COMBINING_SPACING_MARK
                || type == UCharacter.ENCLOSING_MARK;
    }

    /** What MetaCLIP's spacing turns into a space, and the space itself. */
    private static boolean isSpace(int cp) {
        return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r';
    }
}
