package dev.align.curation.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The words ("unigrams") of a caption as the ALIGN rules count them: the caption split on runs of
 * whitespace ({@link Character#isWhitespace} or {@link Character#isSpaceChar}), each piece
 * stripped of leading and trailing code points that are neither letters nor digits, lower-cased
 * with {@link Locale#ROOT}, and empty pieces dropped. So {@code "A photo: (of) my DOG!! -"} has
 * the five words {@code [a, photo, of, my, dog]} and {@code "- -"} has none. Inner punctuation stays ({@code "don't"}, {@code "e-mail"}).
 */
public final class CaptionWords {

    private CaptionWords() {}

    /**
     * @param caption a caption
     * @return its words, in order
     */
    public static List<String> words(String caption) {
        List<String> out = new ArrayList<>();
        int n = caption.length();
        int i = 0;
        while (i < n) {
            while (i < n && isSpace(caption.codePointAt(i))) {
                i += Character.charCount(caption.codePointAt(i));
            }
            int start = i;
            while (i < n && !isSpace(caption.codePointAt(i))) {
                i += Character.charCount(caption.codePointAt(i));
            }
            int from = start;
            int to = i;
            while (from < to && !Character.isLetterOrDigit(caption.codePointAt(from))) {
                from += Character.charCount(caption.codePointAt(from));
            }
            while (to > from && !Character.isLetterOrDigit(caption.codePointBefore(to))) {
                to -= Character.charCount(caption.codePointBefore(to));
            }
            if (from < to) {
                out.add(caption.substring(from, to).toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    private static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
    }
}
