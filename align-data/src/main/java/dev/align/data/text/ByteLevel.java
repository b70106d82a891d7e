package dev.align.data.text;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's reversible map from bytes to printable characters ({@code bytes_to_unicode}), which CLIP
 * uses too: the 188 printable Latin-1 bytes map to themselves, the other 68 to {@code U+0100...}
 * in byte order. The vocabulary's first 256 ids are these characters in the same order as
 * OpenAI's {@code bytes_to_unicode().values()}: {@code '!'..'~'}, {@code '¡'..'¬'},
 * {@code '®'..'ÿ'}, then the remapped bytes; so id 0 is {@code "!"}.
 */
final class ByteLevel {

    /** {@code BYTE_AT_ID[i]}: the byte whose character has id {@code i}, for i in [0, 256). */
    static final int[] BYTE_AT_ID = new int[256];
    /** {@code ID_OF_BYTE[b]}: the id (0..255) of byte {@code b}'s character. */
    static final int[] ID_OF_BYTE = new int[256];
    /** {@code CHAR_OF_BYTE[b]}: the printable character that stands for byte {@code b}. */
    static final char[] CHAR_OF_BYTE = new char[256];
    private static final int[] BYTE_OF_CHAR = new int[512];

    static {
        int n = 0;
        boolean[] printable = new boolean[256];
        for (int b = 0; b < 256; b++) {
            printable[b] = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
        }
        int id = 0;
        for (int b = 0; b < 256; b++) {
            if (printable[b]) {
                CHAR_OF_BYTE[b] = (char) b;
                BYTE_AT_ID[id++] = b;
            }
        }
        for (int b = 0; b < 256; b++) {
            if (!printable[b]) {
                CHAR_OF_BYTE[b] = (char) (256 + n++);
                BYTE_AT_ID[id++] = b;
            }
        }
        java.util.Arrays.fill(BYTE_OF_CHAR, -1);
        for (int i = 0; i < 256; i++) {
            ID_OF_BYTE[BYTE_AT_ID[i]] = i;
            BYTE_OF_CHAR[CHAR_OF_BYTE[BYTE_AT_ID[i]]] = BYTE_AT_ID[i];
        }
    }

    private ByteLevel() {}

    /** The UTF-8 bytes of {@code text}, each written as its printable character. */
    static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = CHAR_OF_BYTE[bytes[i] & 0xFF];
        }
        return new String(out);
    }

    /**
     * Inverse of {@link #encode}: characters back to bytes, then UTF-8 with malformed sequences
     * replaced by U+FFFD (a truncated row can end inside a multi-byte character).
     */
    static String decode(CharSequence chars) {
        byte[] bytes = new byte[chars.length()];
        int n = 0;
        for (int i = 0; i < chars.length(); i++) {
            char c = chars.charAt(i);
            int b = c < BYTE_OF_CHAR.length ? BYTE_OF_CHAR[c] : -1;
            if (b < 0) {
                throw new IllegalArgumentException(String.format(
                        "character U+%04X is not a byte-level symbol", (int) c));
            }
            bytes[n++] = (byte) b;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }
}
