package dev.align.core;

import java.util.Comparator;

/** String order by Unicode code point: the order of the strings' UTF-8 bytes. */
public final class CodePoints {

    /** {@link #compare} as a comparator. */
    public static final Comparator<String> ORDER = CodePoints::compare;

    private CodePoints() {}

    /** Compares by code point, not by UTF-16 unit as {@link String#compareTo} does. */
    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
