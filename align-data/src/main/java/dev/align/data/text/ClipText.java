package dev.align.data.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CLIP's text cleaning and pre-tokenisation (OpenCLIP {@code tokenizer.py}: {@code basic_clean},
 * {@code whitespace_clean}, {@code lower}, then {@code re.findall(pat, text)}).
 *
 * <p>Differences from CLIP: {@code ftfy.fix_text} is not available in Java, so mojibake is not
 * repaired; only its NFC normalisation is done. HTML entities are unescaped for the common named
 * ones and numeric references, twice as CLIP does ({@code html.unescape(html.unescape(t))}).
 */
final class ClipText {

    /** Unicode-aware {@code \s+}, as Python's {@code re} (Java's plain {@code \s} is ASCII only). */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,6});");

    /** CLIP's pre-tokeniser pattern without the special tokens, which callers prepend. */
    static final String WORD_PATTERN =
            "'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";

    /**
     * CLIP's pattern with combining marks ({@code \p{M}}) kept inside words: the vowel signs of
     * Devanagari and Thai (and other Brahmic scripts) are marks, not letters, so CLIP's pattern
     * cuts every such word at each of them, and each piece ends a word ({@code </w>}).
     */
    static final String WORD_PATTERN_MULTILINGUAL =
            "'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}\\p{M}]+|[\\p{N}]|[^\\s\\p{L}\\p{M}\\p{N}]+";

    private ClipText() {}

    /** The pre-tokeniser for the given special tokens, matched case-insensitively as CLIP. */
    static Pattern pretokenizer(String... specials) {
        return pretokenizerWith(WORD_PATTERN, specials);
    }

    /** The pre-tokeniser with the given word pattern. */
    static Pattern pretokenizerWith(String wordPattern, String... specials) {
        StringBuilder sb = new StringBuilder();
        for (String s : specials) {
            sb.append(Pattern.quote(s)).append('|');
        }
        return Pattern.compile(sb + wordPattern,
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
    }

    /** NFC, HTML unescape (twice), whitespace runs to one space, strip, lowercase. */
    static String clean(String text) {
        String t = Normalizer.isNormalized(text, Normalizer.Form.NFC)
                ? text : Normalizer.normalize(text, Normalizer.Form.NFC);
        if (t.indexOf('&') >= 0) {
            t = unescapeHtml(unescapeHtml(t));
        }
        t = WHITESPACE.matcher(t).replaceAll(" ").strip();
        return t.toLowerCase(Locale.ROOT);
    }

    /** The pre-tokenised pieces of already cleaned text, in order. */
    static List<String> pieces(Pattern pretokenizer, String cleaned) {
        List<String> out = new ArrayList<>();
        Matcher m = pretokenizer.matcher(cleaned);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static String unescapeHtml(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = ENTITY.matcher(s);
        StringBuilder sb = new StringBuilder(s.length());
        while (m.find()) {
            String e = m.group(1);
            String r = null;
            if (e.charAt(0) == '#') {
                try {
                    int cp = (e.charAt(1) == 'x' || e.charAt(1) == 'X')
                            ? Integer.parseInt(e.substring(2), 16) : Integer.parseInt(e.substring(1));
                    if (Character.isValidCodePoint(cp) && cp != 0) {
                        r = new String(Character.toChars(cp));
                    }
                } catch (NumberFormatException ignored) {
                    // out of int range: leave the text as it is, as Python's html.unescape does
                }
            } else {
                r = switch (e) {
                    case "amp" -> "&";
                    case "lt" -> "<";
                    case "gt" -> ">";
                    case "quot" -> "\"";
                    case "apos" -> "'";
                    case "nbsp" -> "\u00A0";
                    case "ndash" -> "\u2013";
                    case "mdash" -> "\u2014";
                    case "hellip" -> "\u2026";
                    case "lsquo" -> "\u2018";
                    case "rsquo" -> "\u2019";
                    case "ldquo" -> "\u201C";
                    case "rdquo" -> "\u201D";
                    case "copy" -> "\u00A9";
                    case "reg" -> "\u00AE";
                    default -> null;
                };
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(r == null ? m.group() : r));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
