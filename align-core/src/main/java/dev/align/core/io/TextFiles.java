package dev.align.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads text files as strict UTF-8 with an error that says where the encoding breaks.
 * {@link Files#readString} reports a bad byte as {@code MalformedInputException: Input length = 1},
 * naming neither the file nor the place; configs, metadata lists and tokenizer files are read here
 * instead.
 */
public final class TextFiles {

    private TextFiles() {}

    /** A text file is not valid UTF-8. */
    public static final class MalformedTextException extends IOException {

        private static final long serialVersionUID = 1L;

        private final long offset;

        MalformedTextException(String message, long offset) {
            super(message);
            this.offset = offset;
        }

        /** Offset of the first byte that is not valid UTF-8. */
        public long offset() {
            return offset;
        }
    }

    /**
     * Reads a whole file as UTF-8, rejecting malformed bytes (and lone surrogates) rather than
     * replacing them.
     *
     * @param file the file
     * @return its text
     * @throws MalformedTextException if it is not valid UTF-8; the message names the file and the
     *     byte offset
     * @throws IOException if it cannot be read
     */
    public static String readUtf8(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return decode(bytes, file.toString());
    }

    /**
     * Decodes bytes as strict UTF-8.
     *
     * @param bytes the bytes
     * @param source what they are, for the message
     * @return the text
     * @throws MalformedTextException if they are not valid UTF-8
     */
    public static String decode(byte[] bytes, String source) throws MalformedTextException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isUnderflow()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            long at = in.position();
            String what = at < bytes.length
                    ? String.format("byte 0x%02X at offset %s", bytes[(int) at] & 0xFF, at)
                    : "the end (a character cut short)";
            throw new MalformedTextException(String.format("%s is not valid UTF-8: %s does not "
                    + "fit; save the file as UTF-8", source, what), at);
        }
        return out.flip().toString();
    }
}
