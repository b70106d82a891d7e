package dev.align.curation.metaclip;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.align.core.Checks;
import dev.align.core.io.AtomicFiles;
import dev.align.core.io.TextFiles;
import dev.align.core.json.Json;
import dev.align.core.CodePoints;
import dev.align.curation.internal.Hash64;
import dev.align.curation.internal.LongCounter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MetaCLIP metadata lists: reading, writing, and building one from a vocabulary or a caption corpus.
 *
 * <p><b>File format.</b> UTF-8 text, one entry per line, lines split on {@code '\n'} only (a final
 * newline does not start another entry); the entry id is the 0-based line number, as
 * {@link MetadataMatcher#build} numbers them. A file ending in {@code .json} is read as MetaCLIP's
 * own {@code metadata.json}, a JSON array of strings. Empty entries are rejected (the entry
 * {@code ""} would match every double space).
 *
 * <p><b>From a corpus</b> ({@link #fromCaptions}): captions are tokenised exactly as the matcher
 * sees them (MetaCLIP's spacing: {@code , . ; : ? !} and the backtick wrapped in spaces, tab/CR/LF
 * to spaces, split on single spaces, case kept); a word is a non-empty token that is not one of
 * those punctuation marks, and a bigram two words adjacent in that token sequence (so
 * {@code "cat, dog"} has no bigram {@code "cat dog"}, and none would ever match). Unigrams seen at
 * least {@code minUnigramCount} times and bigrams seen at least {@code minBigramCount} times (each
 * occurrence counts) become entries, ordered by count descending, then by the entry's code points.
 * Every built entry therefore matches the captions it was counted in.
 */
public final class Metadata {

    private static final String WRAPPED = ",.;:?!`";

    private Metadata() {}

    /**
     * Reads a metadata list.
     *
     * @param file a text file (one entry per line) or a {@code .json} array of strings
     * @return the entries; entry id = index
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the file is not UTF-8, an entry is empty, contains a
     *     line break or a lone surrogate, or the JSON is malformed or not an array of strings;
     *     the message names the file and the entry's index
     */
    public static List<String> read(Path file) throws IOException {
        Checks.checkArgument(Files.isRegularFile(file), "metadata file %s does not exist", file);
        String text;
        try {
            text = TextFiles.readUtf8(file);
        } catch (TextFiles.MalformedTextException e) {
            throw new IllegalArgumentException("metadata file " + e.getMessage(), e);
        }
        List<String> entries = new ArrayList<>();
        if (file.getFileName().toString().endsWith(".json")) {
            JsonNode root;
            try {
                root = Json.mapper().readTree(text);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(String.format("%s: malformed JSON (expected "
                        + "MetaCLIP's metadata.json, an array of strings): %s", file,
                        e.getOriginalMessage()), e);
            }
            Checks.checkArgument(root != null && root.isArray(), "%s: expected a JSON array of "
                    + "strings (MetaCLIP's metadata.json)", file);
            for (JsonNode n : root) {
                Checks.checkArgument(n.isTextual(), "%s: entry %s is %s, not a string", file,
                        entries.size(), n);
                entries.add(n.asText());
            }
        } else {
            int from = 0;
            for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', from)) {
                entries.add(text.substring(from, i));
                from = i + 1;
            }
            if (from < text.length()) {
                entries.add(text.substring(from));
            }
        }
        for (int e = 0; e < entries.size(); e++) {
            checkEntry(entries.get(e), e, file.toString());
        }
        return entries;
    }

    /**
     * Writes a metadata list atomically, one entry per line.
     *
     * @param entries the entries
     * @param file the target text file
     * @throws IOException if it cannot be written
     */
    public static void write(List<String> entries, Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int e = 0; e < entries.size(); e++) {
            checkEntry(entries.get(e), e, "metadata");
            sb.append(entries.get(e)).append('\n');
        }
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A metadata list from a vocabulary: entries in their given order, the first of duplicates
     * kept.
     *
     * @param vocabulary candidate entries
     * @return distinct entries
     */
    public static List<String> fromVocabulary(List<String> vocabulary) {
        Set<String> seen = new LinkedHashSet<>();
        for (int e = 0; e < vocabulary.size(); e++) {
            checkEntry(vocabulary.get(e), e, "vocabulary");
            seen.add(vocabulary.get(e));
        }
        return List.copyOf(seen);
    }

    /**
     * Builds a metadata list from the unigrams and bigrams of a caption corpus (see the class
     * comment). Two passes over the captions; bigrams are counted by 64-bit hash, so memory stays
     * at 12 bytes per distinct bigram.
     *
     * @param captions the corpus, iterated twice
     * @param minUnigramCount a word becomes an entry when seen at least this often, {@code >= 1}
     * @param minBigramCount a bigram becomes an entry when seen at least this often, {@code >= 1}
     * @return the entries, by count descending, then by code points
     */
    public static List<String> fromCaptions(Iterable<String> captions, long minUnigramCount,
            long minBigramCount) {
        Checks.checkArgument(minUnigramCount >= 1 && minBigramCount >= 1,
                "minimum counts must be >= 1, got %s and %s", minUnigramCount, minBigramCount);
        Map<String, long[]> unigrams = new HashMap<>();
        LongCounter bigramHashes = new LongCounter();
        for (String caption : captions) {
            String previous = null;
            for (String token : tokens(caption)) {
                if (isWord(token)) {
                    unigrams.computeIfAbsent(token, k -> new long[1])[0]++;
                    if (previous != null) {
                        bigramHashes.add(Hash64.of(previous + " " + token));
                    }
                    previous = token;
                } else {
                    previous = null;
                }
            }
        }
        Map<String, Long> counts = new HashMap<>();
        unigrams.forEach((w, c) -> {
            if (c[0] >= minUnigramCount) {
                counts.put(w, c[0]);
            }
        });
        Set<String> bigramsDone = new HashSet<>();
        for (String caption : captions) {
            String previous = null;
            for (String token : tokens(caption)) {
                if (isWord(token)) {
                    if (previous != null) {
                        String bigram = previous + " " + token;
                        int c = bigramHashes.get(Hash64.of(bigram));
                        if (c >= minBigramCount && bigramsDone.add(bigram)) {
                            counts.put(bigram, (long) c);
                        }
                    }
                    previous = token;
                } else {
                    previous = null;
                }
            }
        }
        List<String> entries = new ArrayList<>(counts.keySet());
        entries.sort(Comparator.comparing((String e) -> -counts.get(e))
                .thenComparing(CodePoints::compare));
        return entries;
    }

    /** The caption's tokens as MetaCLIP's spacing makes them (empty tokens included). */
    static List<String> tokens(String caption) {
        StringBuilder spaced = new StringBuilder(caption.length() + 16);
        for (int i = 0; i < caption.length(); i++) {
            char c = caption.charAt(i);
            if (c == '\t' || c == '\n' || c == '\r') {
                spaced.append(' ');
            } else if (WRAPPED.indexOf(c) >= 0) {
                spaced.append(' ').append(c).append(' ');
            } else {
                spaced.append(c);
            }
        }
        return List.of(spaced.toString().split(" ", -1));
    }

    private static boolean isWord(String token) {
        return !token.isEmpty() && !(token.length() == 1 && WRAPPED.indexOf(token.charAt(0)) >= 0);
    }

    private static void checkEntry(String entry, int index, String source) {
        Checks.checkArgument(entry != null && !entry.isEmpty(), "%s: entry %s is empty", source, index);
        Checks.checkArgument(entry.indexOf('\n') < 0 && entry.indexOf('\r') < 0,
                "%s: entry %s contains a line break", source, index);
        // A JSON escape of half a surrogate pair gives a lone surrogate: no caption (decoded
        // strictly) can hold it, and UTF-8 cannot write it back.
        for (int i = 0; i < entry.length(); i++) {
            char c = entry.charAt(i);
            boolean paired = Character.isHighSurrogate(c) ? i + 1 < entry.length()
                    && Character.isLowSurrogate(entry.charAt(++i)) : !Character.isLowSurrogate(c);
            Checks.checkArgument(paired, "%s: entry %s has a lone surrogate (a \\uD800-\\uDFFF "
                    + "escape that is not half of a pair), which is no Unicode character", source,
                    index);
        }
    }
}
