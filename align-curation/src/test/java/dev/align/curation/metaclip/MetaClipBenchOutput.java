package dev.align.curation.metaclip;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The inputs and output format of the MetaCLIP matching benchmark (benchmarks' MatchBench keeps
 * the same definitions): captions read as Python reads them, matches written one line per
 * caption, and the sha256 of MetaCLIP's own output.
 */
final class MetaClipBenchOutput {

    /** The sha256 of MetaCLIP's own output for the 200,000 benchmark captions. */
    static final String EXPECTED_SHA256 =
            "84a85dec970838e3149b22de5c2731176b77f1bf0ff5b706f08e001fb708756a";

    private MetaClipBenchOutput() {}

    /** A UTF-8 file's lines split on {@code '\n'} only; a final newline starts no line. */
    static List<String> readLines(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        int from = 0;
        for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', from)) {
            lines.add(text.substring(from, i));
            from = i + 1;
        }
        if (from < text.length()) {
            lines.add(text.substring(from));
        }
        return lines;
    }

    /** Per caption one line of ascending ids separated by single spaces, each ending in '\n'. */
    static byte[] format(List<int[]> matches) {
        StringBuilder sb = new StringBuilder(matches.size() * 64);
        for (int[] m : matches) {
            for (int k = 0; k < m.length; k++) {
                sb.append(k > 0 ? " " : "").append(m[k]);
            }
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The sha256 of {@code bytes} in lowercase hex. */
    static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
