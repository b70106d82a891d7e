package dev.align.data.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align.core.Checks;
import dev.align.core.io.AtomicFiles;
import dev.align.core.io.TextFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CLIP's byte-level BPE tokenizer (Radford et al. 2021; OpenCLIP {@code SimpleTokenizer}), trained
 * from a caption corpus in Java and stored as a HuggingFace {@code tokenizer.json}.
 *
 * <p>Pipeline: clean the caption (NFC, HTML unescape, whitespace runs to one space, strip,
 * lowercase; CLIP's {@code ftfy} repair is not available), split it with CLIP's pattern
 * {@code <start_of_text>|<end_of_text>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+},
 * write each piece's UTF-8 bytes as GPT-2's printable characters, mark the last symbol of the
 * piece with {@code </w>}, then apply the merges lowest rank first (leftmost first on ties).
 *
 * <p>Vocabulary layout, as OpenAI's: ids 0..255 are the byte symbols in {@code bytes_to_unicode}
 * order (id 0 is {@code "!"}), 256..511 the same with {@code </w>}, then one id per new merged
 * string in merge order, then {@code <start_of_text>} and {@code <end_of_text>}, the two highest
 * ids, so the end token is the largest id and the text tower can find it with an argmax. Padding
 * is id 0, which is also the token {@code "!"}: that is what CLIP does, and it is harmless because
 * the tower reads nothing after the end token (and {@link #decode} stops there).
 *
 * <p>Immutable and thread-safe; encoding caches the ids of each distinct word in a bounded
 * concurrent map (cleared when full), so steady-state encoding is a regex scan plus map lookups.
 * A saved file loaded by HuggingFace's own library (see {@link HuggingFaceTokenizer}) gives the
 * same ids, except that its normaliser has no HTML unescaping.
 */
public final class BpeTokenizer implements Tokenizer {

    /** How captions are cut into words before the merges apply. */
    public enum Words {
        /** CLIP's pattern: letters ({@code \p{L}}), digits one by one, other symbols. */
        CLIP(ClipText.WORD_PATTERN),
        /**
         * CLIP's pattern with combining marks ({@code \p{M}}) inside words, for scripts whose
         * vowel signs are marks (Devanagari, Thai, ...): CLIP's pattern cuts "हिन्दी" into six
         * words; this one keeps it whole. Identical to {@link #CLIP} on text without marks.
         */
        MULTILINGUAL(ClipText.WORD_PATTERN_MULTILINGUAL);

        private final String pattern;

        Words(String pattern) {
            this.pattern = pattern;
        }
    }

    /** The start token's text, as OpenCLIP. */
    public static final String START_TOKEN = "<start_of_text>";
    /** The end token's text, as OpenCLIP. */
    public static final String END_TOKEN = "<end_of_text>";
    /** CLIP's context length. */
    public static final int CLIP_CONTEXT_LENGTH = 77;

    private static final String EOW = BpeTrainer.END_OF_WORD;
    private static final int CACHE_LIMIT = 1 << 18;

    private final List<String> vocab;
    private final Map<String, Integer> idOf;
    private final List<String[]> merges;
    private final PairMap rankOf;
    private final int[] mergeResult;
    private final int[] byteId = new int[256];
    private final int[] byteEndId = new int[256];
    private final String startToken;
    private final String endToken;
    private final int startId;
    private final int endId;
    private final int contextLength;
    private final Pattern pretokenizer;
    private final Words words;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    private BpeTokenizer(List<String> vocab, List<String[]> merges, String startToken,
            String endToken, int contextLength, Words words) {
        Rows.checkContextLength(contextLength);
        this.vocab = List.copyOf(vocab);
        this.merges = List.copyOf(merges);
        this.idOf = new HashMap<>(vocab.size() * 2);
        for (int i = 0; i < vocab.size(); i++) {
            Integer previous = idOf.put(vocab.get(i), i);
            Checks.checkArgument(previous == null, "token '%s' has two ids, %s and %s",
                    vocab.get(i), previous, i);
        }
        for (int b = 0; b < 256; b++) {
            String ch = String.valueOf(ByteLevel.CHAR_OF_BYTE[b]);
            byteId[b] = requireId(ch, "byte symbol");
            byteEndId[b] = requireId(ch + EOW, "byte symbol");
        }
        this.rankOf = new PairMap(merges.size());
        this.mergeResult = new int[merges.size()];
        for (int r = 0; r < merges.size(); r++) {
            String[] m = merges.get(r);
            long pair = PairMap.pair(requireId(m[0], "merge " + r), requireId(m[1], "merge " + r));
            mergeResult[r] = requireId(m[0] + m[1], "result of merge " + r);
            if (rankOf.get(pair, -1) < 0) { // a repeated merge keeps its first (lowest) rank
                rankOf.put(pair, r);
            }
        }
        this.startToken = startToken;
        this.endToken = endToken;
        this.startId = requireId(startToken, "start token");
        this.endId = requireId(endToken, "end token");
        this.contextLength = contextLength;
        this.words = words;
        this.pretokenizer = ClipText.pretokenizerWith(words.pattern, startToken, endToken);
    }

    private int requireId(String token, String what) {
        Integer id = idOf.get(token);
        Checks.checkArgument(id != null, "the vocabulary has no token '%s' (%s)", token, what);
        return id;
    }

    /**
     * Learns a vocabulary of {@code vocabSize} ids from captions: 512 byte symbols, up to
     * {@code vocabSize - 514} merged symbols, and the two special tokens (fewer merged symbols if
     * the corpus runs out of pairs; {@link #vocabSize()} tells the real size). Deterministic: the
     * same corpus, in any order, gives the same vocabulary and merges.
     *
     * @param captions the corpus; cleaned and pre-tokenised as in {@link #encode}
     * @param vocabSize the target number of ids (49,408 for CLIP), at least 514
     * @param contextLength {@code T}, the length of encoded rows (77 for CLIP), at least 2
     * @return the trained tokenizer
     * @throws IllegalArgumentException if {@code vocabSize < 514} or {@code contextLength < 2}
     * @throws NullPointerException if the corpus or a caption is null
     */
    public static BpeTokenizer train(Iterable<String> captions, int vocabSize, int contextLength) {
        return train(captions, vocabSize, contextLength, Words.CLIP);
    }

    /**
     * As {@link #train(Iterable, int, int)}, with the given word pattern ({@link Words#MULTILINGUAL}
     * for a corpus in scripts with combining vowel signs); the pattern is saved with the
     * tokenizer and read back by {@link #load}.
     *
     * @param captions the corpus
     * @param vocabSize the target number of ids, at least 514
     * @param contextLength {@code T}, at least 2
     * @param words how captions are cut into words
     * @return the trained tokenizer
     */
    public static BpeTokenizer train(Iterable<String> captions, int vocabSize, int contextLength,
            Words words) {
        Objects.requireNonNull(captions, "captions is null");
        Objects.requireNonNull(words, "words is null");
        Checks.checkArgument(vocabSize >= 514,
                "vocabSize must be >= 514 (256 bytes, 256 bytes with </w>, 2 special tokens), got %s",
                vocabSize);
        Rows.checkContextLength(contextLength);
        BpeTrainer.Result r = BpeTrainer.train(captions, vocabSize - 2,
                ClipText.pretokenizerWith(words.pattern, START_TOKEN, END_TOKEN),
                List.of(START_TOKEN, END_TOKEN));
        List<String> vocab = new ArrayList<>(r.vocab());
        vocab.add(START_TOKEN);
        vocab.add(END_TOKEN);
        return new BpeTokenizer(vocab, r.merges(), START_TOKEN, END_TOKEN, contextLength, words);
    }

    /** @return how this tokenizer cuts captions into words */
    public Words words() {
        return words;
    }

    /**
     * The same vocabulary and merges with another context length (the word cache is not shared).
     *
     * @param contextLength {@code T}, at least 2
     * @return a tokenizer that encodes rows of length {@code contextLength}
     */
    public BpeTokenizer withContextLength(int contextLength) {
        return new BpeTokenizer(vocab, merges, startToken, endToken, contextLength, words);
    }

    @Override
    public long[] encode(String text) {
        Objects.requireNonNull(text, "text is null");
        long[] row = new long[contextLength];
        encodeInto(text, row, 0);
        return row;
    }

    @Override
    public long[] encodeBatch(List<String> texts) {
        Objects.requireNonNull(texts, "texts is null");
        long[] out = new long[texts.size() * contextLength];
        for (int b = 0; b < texts.size(); b++) {
            String text = texts.get(b);
            if (text == null) {
                throw new NullPointerException("texts[" + b + "] is null");
            }
            encodeInto(text, out, b * contextLength);
        }
        return out;
    }

    private void encodeInto(String text, long[] out, int offset) {
        int limit = contextLength - 2; // content tokens that fit; the rest is truncated
        int[] content = new int[Math.min(limit, 64) + 16];
        int n = 0;
        Matcher m = pretokenizer.matcher(ClipText.clean(text));
        while (n < limit && m.find()) {
            int[] ids = wordIds(m.group());
            if (n + ids.length > content.length) {
                content = Arrays.copyOf(content, Math.max(content.length * 2, n + ids.length));
            }
            System.arraycopy(ids, 0, content, n, ids.length);
            n += ids.length;
        }
        Rows.frame(content, n, out, offset, contextLength, startId, endId, 0);
    }

    /** The content ids of a caption, without start, end, padding or truncation. */
    int[] contentIds(String text) {
        Objects.requireNonNull(text, "text is null");
        int[] content = new int[16];
        int n = 0;
        Matcher m = pretokenizer.matcher(ClipText.clean(text));
        while (m.find()) {
            int[] ids = wordIds(m.group());
            if (n + ids.length > content.length) {
                content = Arrays.copyOf(content, Math.max(content.length * 2, n + ids.length));
            }
            System.arraycopy(ids, 0, content, n, ids.length);
            n += ids.length;
        }
        return Arrays.copyOf(content, n);
    }

    @Override
    public List<String> tokens(String text) {
        int[] ids = contentIds(text);
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(vocab.get(id));
        }
        return out;
    }

    @Override
    public String decode(long[] ids) {
        Objects.requireNonNull(ids, "ids is null");
        StringBuilder chars = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            long id = ids[i];
            Checks.checkArgument(id >= 0 && id < vocab.size(),
                    "id %s at position %s is outside [0, %s)", id, i, vocab.size());
            if (id == endId) {
                break;
            }
            if (id != startId) {
                chars.append(vocab.get((int) id));
            }
        }
        // As OpenCLIP: </w> is the space between words; then the symbols go back to bytes.
        String withSpaces = chars.toString().replace(EOW, String.valueOf(ByteLevel.CHAR_OF_BYTE[' ']));
        return ByteLevel.decode(withSpaces).strip();
    }

    private int[] wordIds(String piece) {
        int[] ids = cache.get(piece);
        if (ids != null) {
            return ids;
        }
        if (piece.equals(startToken)) {
            ids = new int[] {startId};
        } else if (piece.equals(endToken)) {
            ids = new int[] {endId};
        } else {
            ids = bpe(piece.getBytes(StandardCharsets.UTF_8));
        }
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear(); // bounded: a long tail of rare words must not grow the heap forever
        }
        cache.put(piece, ids);
        return ids;
    }

    /**
     * Applies the merges to one word: a min-queue of (rank, position) over adjacent pairs, with
     * symbols in a linked list, so each merge costs O(log n) instead of a rescan of the word.
     */
    private int[] bpe(byte[] bytes) {
        int n = bytes.length;
        int[] sym = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            sym[i] = i == n - 1 ? byteEndId[bytes[i] & 0xFF] : byteId[bytes[i] & 0xFF];
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        if (n > 1 && mergeResult.length > 0) {
            PriorityQueue<Long> queue = new PriorityQueue<>();
            for (int i = 0; i + 1 < n; i++) {
                offer(queue, sym, i, i + 1);
            }
            while (!queue.isEmpty()) {
                long e = queue.poll();
                int rank = (int) (e >>> 32);
                int i = (int) e;
                int j = next[i];
                // Skip entries whose symbols were merged away or changed since they were queued.
                if (sym[i] < 0 || j < 0 || rankOf.get(PairMap.pair(sym[i], sym[j]), -1) != rank) {
                    continue;
                }
                sym[i] = mergeResult[rank];
                sym[j] = -1;
                next[i] = next[j];
                if (next[i] >= 0) {
                    prev[next[i]] = i;
                    offer(queue, sym, i, next[i]);
                }
                if (prev[i] >= 0) {
                    offer(queue, sym, prev[i], i);
                }
            }
        }
        int count = 0;
        for (int i = 0; i >= 0; i = next[i]) {
            count++;
        }
        int[] out = new int[count];
        int k = 0;
        for (int i = 0; i >= 0; i = next[i]) {
            out[k++] = sym[i];
        }
        return out;
    }

    private void offer(PriorityQueue<Long> queue, int[] sym, int i, int j) {
        int rank = rankOf.get(PairMap.pair(sym[i], sym[j]), -1);
        if (rank >= 0) {
            queue.add(((long) rank << 32) | i);
        }
    }

    @Override
    public int vocabSize() {
        return vocab.size();
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

    /** {@inheritDoc} Always 0, as CLIP: the id of the byte symbol {@code "!"}. */
    @Override
    public int padId() {
        return 0;
    }

    /** The token strings by id ({@code vocab().get(id)}), special tokens last. */
    public List<String> vocab() {
        return vocab;
    }

    /** The merges in rank order, each as {@code "left right"} (the HuggingFace text form). */
    public List<String> merges() {
        List<String> out = new ArrayList<>(merges.size());
        for (String[] m : merges) {
            out.add(m[0] + " " + m[1]);
        }
        return out;
    }

    /**
     * Writes the tokenizer as a HuggingFace {@code tokenizer.json} (atomically), laid out as the
     * one HuggingFace publishes for OpenAI's CLIP: normaliser {@code NFC, Replace(\s+ -> " "),
     * Lowercase}; pre-tokeniser {@code Split(CLIP pattern, Removed, invert)} then
     * {@code ByteLevel}; model {@code BPE} with {@code end_of_word_suffix "</w>"}; post-processor
     * {@code RobertaProcessing} (start, end); the special tokens as {@code added_tokens}. Unlike
     * that file it also records truncation and padding to {@link #contextLength()} (so
     * HuggingFace's own library produces our rows as they are), and its decoder maps {@code </w>}
     * back to spaces, which {@code transformers} does in Python code for CLIP (the decoded text
     * then ends with one space, which callers strip).
     *
     * @param file the target, usually {@code tokenizer.json}
     * @throws IOException if it cannot be written
     */
    public void save(Path file) throws IOException {
        AtomicFiles.write(file, toJson().getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code tokenizer.json} text that {@link #save} writes. */
    public String toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("version", "1.0");
        ObjectNode truncation = root.putObject("truncation");
        truncation.put("direction", "Right");
        truncation.put("max_length", contextLength);
        truncation.put("strategy", "LongestFirst");
        truncation.put("stride", 0);
        ObjectNode padding = root.putObject("padding");
        padding.putObject("strategy").put("Fixed", contextLength);
        padding.put("direction", "Right");
        padding.putNull("pad_to_multiple_of");
        padding.put("pad_id", padId());
        padding.put("pad_type_id", 0);
        padding.put("pad_token", vocab.get(padId()));
        ArrayNode added = root.putArray("added_tokens");
        for (int id : new int[] {startId, endId}) {
            ObjectNode t = added.addObject();
            t.put("id", id);
            t.put("content", vocab.get(id));
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", true);
            t.put("special", true);
        }
        ObjectNode normalizer = root.putObject("normalizer");
        normalizer.put("type", "Sequence");
        ArrayNode norms = normalizer.putArray("normalizers");
        norms.addObject().put("type", "NFC");
        ObjectNode replace = norms.addObject();
        replace.put("type", "Replace");
        replace.putObject("pattern").put("Regex", "\\s+");
        replace.put("content", " ");
        norms.addObject().put("type", "Lowercase");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Sequence");
        ArrayNode pres = pre.putArray("pretokenizers");
        ObjectNode split = pres.addObject();
        split.put("type", "Split");
        split.putObject("pattern").put("Regex",
                escape(startToken) + "|" + escape(endToken) + "|" + words.pattern);
        split.put("behavior", "Removed");
        split.put("invert", true);
        ObjectNode byteLevel = pres.addObject();
        byteLevel.put("type", "ByteLevel");
        byteLevel.put("add_prefix_space", false);
        byteLevel.put("trim_offsets", true);
        byteLevel.put("use_regex", false);
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "RobertaProcessing");
        post.putArray("sep").add(endToken).add(endId);
        post.putArray("cls").add(startToken).add(startId);
        post.put("trim_offsets", false);
        post.put("add_prefix_space", false);
        ObjectNode decoder = root.putObject("decoder");
        decoder.put("type", "Sequence");
        ArrayNode decs = decoder.putArray("decoders");
        ObjectNode bl = decs.addObject();
        bl.put("type", "ByteLevel");
        bl.put("add_prefix_space", true);
        bl.put("trim_offsets", true);
        bl.put("use_regex", true);
        ObjectNode rep = decs.addObject();
        rep.put("type", "Replace");
        rep.putObject("pattern").put("String", EOW);
        rep.put("content", " ");
        // No Strip decoder for the trailing space: tokenizers 0.21.4 (in DJL 0.36) panics in
        // Strip on an empty id list, and a Rust panic aborts the JVM. Callers strip instead.
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.put("continuing_subword_prefix", "");
        model.put("end_of_word_suffix", EOW);
        model.put("fuse_unk", false);
        ObjectNode v = model.putObject("vocab");
        for (int i = 0; i < vocab.size(); i++) {
            v.put(vocab.get(i), i);
        }
        ArrayNode m = model.putArray("merges");
        for (String merge : merges()) {
            m.add(merge);
        }
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the tokenizer", e);
        }
    }

    /** Escapes regex metacharacters for Oniguruma (HuggingFace) and Java alike. */
    private static String escape(String literal) {
        StringBuilder sb = new StringBuilder();
        for (char c : literal.toCharArray()) {
            if ("\\^$.|?*+()[]{}".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /**
     * Loads a tokenizer saved by {@link #save}, or any HuggingFace byte-level BPE
     * {@code tokenizer.json} with {@code end_of_word_suffix "</w>"} and a start/end pair
     * (from a {@code RobertaProcessing} post-processor, else the added tokens
     * {@value #START_TOKEN} and {@value #END_TOKEN}). The context length is the file's
     * {@code truncation.max_length}, or {@value #CLIP_CONTEXT_LENGTH} if it has none.
     *
     * @param file the {@code tokenizer.json}
     * @return the tokenizer; encoding is identical to the one that was saved
     * @throws TokenizerFormatException if the file is not such a tokenizer (the message says why)
     * @throws IOException if it cannot be read
     */
    public static BpeTokenizer load(Path file) throws IOException {
        return load(file, -1);
    }

    /**
     * As {@link #load(Path)}, with the context length given instead of read from the file.
     *
     * @param file the {@code tokenizer.json}
     * @param contextLength {@code T}, at least 2
     * @return the tokenizer
     * @throws TokenizerFormatException if the file is not such a tokenizer
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException if {@code contextLength < 2}
     */
    public static BpeTokenizer load(Path file, int contextLength) throws IOException {
        if (contextLength != -1) {
            Rows.checkContextLength(contextLength);
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(TextFiles.readUtf8(file));
        } catch (TextFiles.MalformedTextException e) {
            throw new TokenizerFormatException(e.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new TokenizerFormatException(file + ": malformed JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new TokenizerFormatException(file + ": not a JSON object");
        }
        JsonNode model = root.path("model");
        if (!"BPE".equals(model.path("type").asText())) {
            throw new TokenizerFormatException(String.format(
                    "%s: model.type is '%s', expected 'BPE'", file, model.path("type").asText()));
        }
        if (!EOW.equals(model.path("end_of_word_suffix").asText())) {
            throw new TokenizerFormatException(String.format(
                    "%s: model.end_of_word_suffix is '%s', expected '%s' (CLIP-style BPE)", file,
                    model.path("end_of_word_suffix").asText(), EOW));
        }
        JsonNode v = model.path("vocab");
        if (!v.isObject() || v.isEmpty()) {
            throw new TokenizerFormatException(file + ": model.vocab is missing or empty");
        }
        String[] byId = new String[v.size()];
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            int id = e.getValue().asInt(-1);
            if (!e.getValue().isInt() || id < 0 || id >= byId.length || byId[id] != null) {
                throw new TokenizerFormatException(String.format(
                        "%s: model.vocab['%s'] = %s; ids must be 0..%s, each used once", file,
                        e.getKey(), e.getValue(), byId.length - 1));
            }
            byId[id] = e.getKey();
        }
        List<String[]> merges = new ArrayList<>();
        for (JsonNode m : model.path("merges")) {
            String[] pair;
            if (m.isTextual()) {
                pair = m.asText().split(" ", -1);
            } else if (m.isArray() && m.size() == 2) {
                pair = new String[] {m.get(0).asText(), m.get(1).asText()};
            } else {
                pair = new String[0];
            }
            if (pair.length != 2) {
                throw new TokenizerFormatException(String.format(
                        "%s: model.merges[%s] = %s is not a pair", file, merges.size(), m));
            }
            merges.add(pair);
        }
        String start = START_TOKEN;
        String end = END_TOKEN;
        JsonNode post = root.path("post_processor");
        if ("RobertaProcessing".equals(post.path("type").asText())) {
            start = post.path("cls").path(0).asText(start);
            end = post.path("sep").path(0).asText(end);
        }
        String split = "";
        for (JsonNode p : root.path("pre_tokenizer").path("pretokenizers")) {
            if ("Split".equals(p.path("type").asText())) {
                split = p.path("pattern").path("Regex").asText("");
            }
        }
        Words words = split.endsWith(Words.MULTILINGUAL.pattern) ? Words.MULTILINGUAL
                : Words.CLIP;
        int t = contextLength;
        if (t == -1) {
            t = root.path("truncation").path("max_length").asInt(CLIP_CONTEXT_LENGTH);
        }
        try {
            return new BpeTokenizer(Arrays.asList(byId), merges, start, end, t, words);
        } catch (IllegalArgumentException e) {
            throw new TokenizerFormatException(file + ": " + e.getMessage(), e);
        }
    }
}
