package dev.align.data.text;

import ai.djl.huggingface.tokenizers.Encoding;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.align.core.Checks;
import dev.align.core.io.TextFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Any HuggingFace {@code tokenizer.json} (BPE, WordPiece, Unigram, ...) as a {@link Tokenizer},
 * run by HuggingFace's Rust {@code tokenizers} library through DJL
 * ({@code ai.djl.huggingface:tokenizers}).
 *
 * <p>The file's normaliser, pre-tokeniser and model produce the content ids; this class then lays
 * out the row itself, as CLIP does: {@code [start, content..., end, pad...]}, truncating the
 * content to {@code contextLength - 2} so the end token stays last. The file's own truncation,
 * padding and post-processor are not used (a BERT-style file gets {@code [CLS] ... [SEP]} rows
 * with the same rule). The start and end ids come from the file's post-processor
 * ({@code RobertaProcessing}, {@code BertProcessing} or the first and last special tokens of a
 * {@code TemplateProcessing} single template) unless given; the pad id from its {@code padding},
 * else 0.
 *
 * <p><b>Offline use.</b> DJL's jar bundles the native library for linux-x86_64, linux-aarch64,
 * osx-aarch64 and win-x86_64 and extracts it to {@code ~/.djl.ai/tokenizers/} on first use; no
 * download happens for a local file. DJL 0.36 also sends telemetry on the first tokenizer of a
 * process ({@code Ec2Utils.callHome}: it probes the EC2 metadata address, 1 s timeouts) unless
 * offline mode is on ({@code -Dai.djl.offline=true}, which an environment variable
 * {@code DJL_OFFLINE=false} overrides) or {@code OPT_OUT_TRACKING=true} is set (environment
 * variable or system property); align's launchers, tests and benchmarks set both.
 *
 * <p>Thread-safe: encoding runs concurrently (the Rust tokenizer is immutable); {@link #close()}
 * waits for running calls and later calls fail with {@link IllegalStateException}.
 */
public final class HuggingFaceTokenizer implements Tokenizer, AutoCloseable {

    /**
     * Longest token (vocabulary entry, merge or added token) accepted, in characters. Real
     * tokenizers stay far below it; the native library's loading time grows with the square of a
     * token's length (an 87,623-character added token took six minutes, found by fuzzing), so a
     * hostile file could otherwise stall a process in native code that cannot be interrupted.
     */
    public static final int MAX_TOKEN_CHARS = 1024;

    private final ai.djl.huggingface.tokenizers.HuggingFaceTokenizer hf;
    private final int contextLength;
    private final int startId;
    private final int endId;
    private final int padId;
    private final int vocabSize;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private HuggingFaceTokenizer(ai.djl.huggingface.tokenizers.HuggingFaceTokenizer hf,
            int contextLength, int startId, int endId, int padId, int vocabSize) {
        this.hf = hf;
        this.contextLength = contextLength;
        this.startId = startId;
        this.endId = endId;
        this.padId = padId;
        this.vocabSize = vocabSize;
    }

    /**
     * Loads a {@code tokenizer.json}, taking the start, end and pad ids from the file.
     *
     * @param file the {@code tokenizer.json} (or a directory that holds one)
     * @param contextLength {@code T}, at least 2
     * @return the tokenizer; close it to free the native tokenizer
     * @throws TokenizerFormatException if the file is not valid JSON or names no start/end tokens
     *     (then use {@link #load(Path, int, String, String, int)})
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException if {@code contextLength < 2}
     */
    public static HuggingFaceTokenizer load(Path file, int contextLength) throws IOException {
        return load(file, contextLength, null, null, -1);
    }

    /**
     * Loads a {@code tokenizer.json} with explicit special tokens.
     *
     * @param file the {@code tokenizer.json} (or a directory that holds one)
     * @param contextLength {@code T}, at least 2
     * @param startToken the start token's text, or {@code null} to read it from the file
     * @param endToken the end token's text, or {@code null} to read it from the file
     * @param padId the pad id, or -1 to read it from the file's {@code padding} (else 0)
     * @return the tokenizer; close it to free the native tokenizer
     * @throws TokenizerFormatException if the file is invalid or a token is not in its vocabulary
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException if {@code contextLength < 2} or {@code padId < -1}
     */
    public static HuggingFaceTokenizer load(Path file, int contextLength, String startToken,
            String endToken, int padId) throws IOException {
        Objects.requireNonNull(file, "file is null");
        Rows.checkContextLength(contextLength);
        Checks.checkArgument(padId >= -1, "padId must be >= 0, or -1 for the file's, got %s", padId);
        Path json = Files.isDirectory(file) ? file.resolve("tokenizer.json") : file;
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(TextFiles.readUtf8(json));
        } catch (TextFiles.MalformedTextException e) {
            throw new TokenizerFormatException(e.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new TokenizerFormatException(json + ": malformed JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new TokenizerFormatException(json + ": not a JSON object");
        }
        checkTokenLengths(root, json);
        checkMergesFitThePrefix(root, json);
        checkReplaceNormalizers(root.path("normalizer"), json);
        int vocabSize = vocabSize(root, json);
        int start = startToken != null ? idOf(root, startToken, json) : specialId(root, true, json);
        int end = endToken != null ? idOf(root, endToken, json) : specialId(root, false, json);
        int pad = padId >= 0 ? padId : root.path("padding").path("pad_id").asInt(0);
        for (int id : new int[] {start, end, pad}) {
            if (id >= vocabSize) {
                throw new TokenizerFormatException(String.format(
                        "%s: special id %s is outside the vocabulary [0, %s)", json, id, vocabSize));
            }
        }
        // Our rows are laid out here, so the native tokenizer must neither pad, truncate nor add
        // special tokens (DJL would otherwise truncate at 512 and pad to the longest).
        Map<String, String> options = Map.of(
                "addSpecialTokens", "false", "truncation", "false", "padding", "false");
        ai.djl.huggingface.tokenizers.HuggingFaceTokenizer hf;
        try {
            hf = ai.djl.huggingface.tokenizers.HuggingFaceTokenizer.newInstance(json, options);
        } catch (RuntimeException e) { // the Rust parser rejects the file
            throw new TokenizerFormatException(json + ": HuggingFace tokenizers cannot load it: "
                    + shorten(e.getMessage()), e);
        }
        try {
            // Some broken files load but fail on the first unknown word (a WordPiece unk_token
            // missing from the vocabulary): find out now, not in a data worker mid-run.
            hf.encode(PROBE, false, false);
        } catch (RuntimeException e) {
            hf.close();
            throw new TokenizerFormatException(json + ": HuggingFace tokenizers load it but cannot "
                    + "encode a test caption: " + shorten(e.getMessage()), e);
        }
        try {
            checkAddedTokenIds(hf, root, vocabSize, json);
        } catch (TokenizerFormatException | RuntimeException e) {
            hf.close();
            throw e instanceof TokenizerFormatException t ? t : new TokenizerFormatException(json
                    + ": HuggingFace tokenizers cannot encode its added tokens: "
                    + shorten(e.getMessage()), e);
        }
        return new HuggingFaceTokenizer(hf, contextLength, start, end, pad, vocabSize);
    }

    /**
     * The native library gives an added token whose id is taken (by a {@code model.vocab} entry
     * or another added token) a new id after the last one, so the file loads and then encodes
     * that token's text as an id outside the vocabulary the file declares, which the text tower
     * cannot embed (found by fuzzing: an added token {@code "é"} with the id of {@code "<s>"}
     * came out as id 20 of a 20-entry vocabulary, mid-run). Every added token's text is encoded
     * here and its ids checked.
     */
    private static void checkAddedTokenIds(ai.djl.huggingface.tokenizers.HuggingFaceTokenizer hf,
            JsonNode root, int vocabSize, Path file) throws TokenizerFormatException {
        List<String> contents = new ArrayList<>();
        for (JsonNode t : root.path("added_tokens")) {
            if (t.path("content").isTextual() && !t.path("content").asText().isEmpty()) {
                contents.add(t.path("content").asText());
            }
        }
        if (contents.isEmpty()) {
            return;
        }
        Encoding[] encodings = hf.batchEncode(contents, false, false);
        for (int i = 0; i < encodings.length; i++) {
            for (long id : encodings[i].getIds()) {
                if (id < 0 || id >= vocabSize) {
                    throw new TokenizerFormatException(String.format("%s: added token '%s' comes "
                            + "out of the HuggingFace library as id %s, outside the vocabulary "
                            + "[0, %s) the file declares (its id is probably taken by another "
                            + "token): give every added token an id of its own", file,
                            shorten(contents.get(i)), id, vocabSize));
                }
            }
        }
    }

    /** Text with case, digits, punctuation, accents, CJK, an emoji and words no vocabulary has. */
    private static final String PROBE = "A photo of 2 CATS, café & 東京 at 9:30 😀 \t zqxjv "
            + "Ünïcödé ǅ \u2603 ";

    /** Messages of the native library quote whole tokens, which in a broken file may be huge. */
    private static String shorten(String message) {
        if (message == null) {
            return "(no message)";
        }
        return message.length() <= 300 ? message
                : message.substring(0, 300) + "... (" + message.length() + " characters)";
    }

    /**
     * One more than the largest id of the vocabulary and the added tokens. Every id must be a
     * non-negative {@code int}: the Rust library reads ids as {@code u32}, so an id such as
     * 4294967295 loads there but would reach the text tower as -1 (found by fuzzing).
     */
    private static int vocabSize(JsonNode root, Path file) throws TokenizerFormatException {
        int max = -1;
        JsonNode vocab = root.path("model").path("vocab");
        if (vocab.isObject()) {
            for (Map.Entry<String, JsonNode> e : vocab.properties()) {
                max = Math.max(max, checkedId(e.getValue(), "model.vocab['" + shorten(e.getKey())
                        + "']", file));
            }
        } else if (vocab.isArray()) { // Unigram: [[piece, score], ...]
            max = vocab.size() - 1;
        }
        for (JsonNode t : root.path("added_tokens")) {
            max = Math.max(max, checkedId(t.path("id"), "added token '"
                    + shorten(t.path("content").asText()) + "'", file));
        }
        return max + 1;
    }

    private static void checkTokenLengths(JsonNode root, Path file)
            throws TokenizerFormatException {
        JsonNode model = root.path("model");
        JsonNode vocab = model.path("vocab");
        if (vocab.isObject()) {
            for (Map.Entry<String, JsonNode> e : vocab.properties()) {
                checkLength(e.getKey(), "a model.vocab entry", file);
            }
        } else if (vocab.isArray()) {                        // Unigram: [[piece, score], ...]
            for (JsonNode piece : vocab) {
                checkLength(piece.path(0).asText(), "a model.vocab piece", file);
            }
        }
        for (JsonNode merge : model.path("merges")) {
            String text = merge.isArray() ? merge.path(0).asText() + " " + merge.path(1).asText()
                    : merge.asText();
            checkLength(text, "a model.merges entry", file);
        }
        for (JsonNode t : root.path("added_tokens")) {
            checkLength(t.path("content").asText(), "an added token", file);
        }
    }

    /**
     * A BPE merge whose second token is shorter (in UTF-8 bytes) than the model's
     * {@code continuing_subword_prefix}, or that the prefix's length would cut inside a character,
     * makes the native library panic while building the model ({@code &b[prefix_len..]} in
     * tokenizers 0.21's {@code BpeBuilder::build}), and a Rust panic aborts the whole JVM (found by
     * fuzzing: exit 134). Such a file is refused here instead.
     */
    private static void checkMergesFitThePrefix(JsonNode root, Path file)
            throws TokenizerFormatException {
        JsonNode model = root.path("model");
        JsonNode prefixNode = model.path("continuing_subword_prefix");
        if (!"BPE".equals(model.path("type").asText()) || !prefixNode.isTextual()
                || prefixNode.asText().isEmpty()) {
            return;
        }
        int prefixBytes = prefixNode.asText().getBytes(StandardCharsets.UTF_8).length;
        int rank = 0;
        for (JsonNode merge : model.path("merges")) {
            String second;
            if (merge.isArray()) {
                second = merge.path(1).asText();
            } else {
                String[] parts = merge.asText().split(" ", -1);
                second = parts.length == 2 ? parts[1] : null;    // else the library reports it
            }
            if (second != null) {
                byte[] b = second.getBytes(StandardCharsets.UTF_8);
                boolean cutsACharacter = prefixBytes < b.length && (b[prefixBytes] & 0xC0) == 0x80;
                if (b.length < prefixBytes || cutsACharacter) {
                    throw new TokenizerFormatException(String.format("%s: model.merges[%s] = %s "
                            + "does not continue with continuing_subword_prefix '%s' (%s bytes); "
                            + "the HuggingFace library would crash on it", file, rank,
                            shorten(merge.toString()), shorten(prefixNode.asText()), prefixBytes));
                }
            }
            rank++;
        }
    }

    /**
     * A {@code Replace} normalizer whose pattern matches the empty string inserts its content
     * between every two characters and breaks the native library's offset bookkeeping: the next
     * normalizer (a {@code Lowercase} of an added token, at load) panics with an index out of
     * bounds, which aborts the JVM (found by fuzzing). Such a pattern is refused here; patterns
     * Java cannot compile are left to the library, which reports them.
     */
    private static void checkReplaceNormalizers(JsonNode normalizer, Path file)
            throws TokenizerFormatException {
        if ("Sequence".equals(normalizer.path("type").asText())) {
            for (JsonNode n : normalizer.path("normalizers")) {
                checkReplaceNormalizers(n, file);
            }
            return;
        }
        if (!"Replace".equals(normalizer.path("type").asText())) {
            return;
        }
        JsonNode pattern = normalizer.path("pattern");
        boolean empty;
        if (pattern.path("String").isTextual()) {
            empty = pattern.path("String").asText().isEmpty();
        } else if (pattern.path("Regex").isTextual()) {
            try {
                empty = java.util.regex.Pattern.compile(pattern.path("Regex").asText())
                        .matcher("").matches();
            } catch (java.util.regex.PatternSyntaxException e) {
                empty = false;
            }
        } else {
            empty = false;
        }
        if (empty) {
            throw new TokenizerFormatException(String.format("%s: the Replace normalizer's "
                    + "pattern %s matches the empty string; the HuggingFace library would crash on "
                    + "it", file, shorten(pattern.toString())));
        }
    }

    private static void checkLength(String token, String what, Path file)
            throws TokenizerFormatException {
        // A merge is two tokens and a space.
        int limit = what.contains("merges") ? 2 * MAX_TOKEN_CHARS + 1 : MAX_TOKEN_CHARS;
        if (token.length() > limit) {
            throw new TokenizerFormatException(String.format("%s: %s has %s characters ('%s'), "
                    + "more than the limit of %s", file, what, token.length(), shorten(token),
                    limit));
        }
    }

    private static int checkedId(JsonNode id, String what, Path file)
            throws TokenizerFormatException {
        if (!id.isIntegralNumber() || !id.canConvertToInt() || id.intValue() < 0
                || id.intValue() == Integer.MAX_VALUE) {
            throw new TokenizerFormatException(String.format("%s: %s has id %s; ids must be "
                    + "whole numbers in [0, %s)", file, what, shorten(id.toString()),
                    Integer.MAX_VALUE));
        }
        return id.intValue();
    }

    private static int idOf(JsonNode root, String token, Path file) throws TokenizerFormatException {
        for (JsonNode t : root.path("added_tokens")) {
            if (token.equals(t.path("content").asText())) {
                return t.path("id").asInt();
            }
        }
        JsonNode id = root.path("model").path("vocab").path(token);
        if (id.isInt()) {
            return id.asInt();
        }
        throw new TokenizerFormatException(String.format(
                "%s: token '%s' is neither an added token nor in model.vocab", file, token));
    }

    /** The start (first) or end (last) special id that the file's post-processor adds. */
    private static int specialId(JsonNode root, boolean start, Path file) throws TokenizerFormatException {
        JsonNode post = root.path("post_processor");
        if ("Sequence".equals(post.path("type").asText())) {
            for (JsonNode p : post.path("processors")) {
                String type = p.path("type").asText();
                if (type.equals("RobertaProcessing") || type.equals("BertProcessing")
                        || type.equals("TemplateProcessing")) {
                    post = p;
                    break;
                }
            }
        }
        String type = post.path("type").asText();
        if (type.equals("RobertaProcessing") || type.equals("BertProcessing")) {
            JsonNode pair = post.path(start ? "cls" : "sep");
            if (pair.path(1).isInt()) {
                return pair.path(1).asInt();
            }
        } else if (type.equals("TemplateProcessing")) {
            JsonNode single = post.path("single");
            JsonNode item = single.path(start ? 0 : single.size() - 1).path("SpecialToken");
            JsonNode ids = post.path("special_tokens").path(item.path("id").asText()).path("ids");
            if (item.isObject() && ids.path(0).isInt()) {
                return ids.path(0).asInt();
            }
        }
        throw new TokenizerFormatException(String.format(
                "%s: cannot tell the %s token from post_processor %s; pass it explicitly", file,
                start ? "start" : "end", type.isEmpty() ? "(none)" : type));
    }

    @Override
    public long[] encode(String text) {
        Objects.requireNonNull(text, "text is null");
        long[] row = new long[contextLength];
        long[] content = content(text);
        frame(content, row, 0);
        return row;
    }

    @Override
    public long[] encodeBatch(List<String> texts) {
        Objects.requireNonNull(texts, "texts is null");
        String[] array = new String[texts.size()];
        for (int b = 0; b < array.length; b++) {
            array[b] = texts.get(b);
            if (array[b] == null) {
                throw new NullPointerException("texts[" + b + "] is null");
            }
        }
        Encoding[] encodings;
        lock.readLock().lock();
        try {
            checkOpen();
            encodings = hf.batchEncode(array, false, false); // parallel in Rust
        } finally {
            lock.readLock().unlock();
        }
        long[] out = new long[array.length * contextLength];
        for (int b = 0; b < array.length; b++) {
            frame(encodings[b].getIds(), out, b * contextLength);
        }
        return out;
    }

    private void frame(long[] content, long[] out, int offset) {
        int[] ids = new int[content.length];
        for (int i = 0; i < ids.length; i++) {
            // The vocabulary was checked at load; this guards against the native side anyway.
            Checks.checkState(content[i] >= 0 && content[i] < vocabSize,
                    "the tokenizer produced id %s, outside its vocabulary [0, %s)", content[i],
                    vocabSize);
            ids[i] = (int) content[i];
        }
        Rows.frame(ids, ids.length, out, offset, contextLength, startId, endId, padId);
    }

    private long[] content(String text) {
        lock.readLock().lock();
        try {
            checkOpen();
            return hf.encode(text, false, false).getIds();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<String> tokens(String text) {
        Objects.requireNonNull(text, "text is null");
        lock.readLock().lock();
        try {
            checkOpen();
            return Arrays.asList(hf.encode(text, false, false).getTokens());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public String decode(long[] ids) {
        Objects.requireNonNull(ids, "ids is null");
        int n = 0;
        long[] kept = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            Checks.checkArgument(ids[i] >= 0 && ids[i] < vocabSize,
                    "id %s at position %s is outside [0, %s)", ids[i], i, vocabSize);
            if (ids[i] == endId) {
                break;
            }
            if (ids[i] != startId) {
                kept[n++] = ids[i];
            }
        }
        if (n == 0) {
            // Not sent to the native side: some decoders (Strip in tokenizers 0.21.4) panic on an
            // empty sequence, and a Rust panic aborts the whole JVM.
            return "";
        }
        lock.readLock().lock();
        try {
            checkOpen();
            return hf.decode(Arrays.copyOf(kept, n), true).strip();
        } finally {
            lock.readLock().unlock();
        }
    }

    private void checkOpen() {
        Checks.checkState(!closed, "this HuggingFaceTokenizer has been closed");
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int contextLength() {
        return contextLength;
    }

    @Override
    public int startId() {
        return startId;
    }

    @Override
    public int endId() {
        return endId;
    }

    @Override
    public int padId() {
        return padId;
    }

    /** Frees the native tokenizer; waits for calls in progress. Idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                hf.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
