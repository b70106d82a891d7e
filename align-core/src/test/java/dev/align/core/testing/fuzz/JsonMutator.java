package dev.align.core.testing.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Structure-aware mutations of JSON documents: a valid document is parsed, a few of its values are
 * replaced by values of the wrong type or at the edge of their range, keys are dropped, added,
 * misspelt or repeated, arrays shrink and grow, and nesting deepens; the result is serialized and,
 * now and then, broken further at the byte level by {@link Mutator}. This reaches the checks behind
 * the syntax (bindings, invariants) far more often than byte flips alone.
 */
public final class JsonMutator {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /**
     * Inputs stay under this many bytes: repeated copies of long strings could otherwise grow a
     * document to hundreds of megabytes, which tests the machine's speed, not the parser.
     */
    public static final int MAX_BYTES = 4 << 20;

    private final Mutator bytes;

    /** @param bytes the byte mutator, whose random source drives every choice here too */
    public JsonMutator(Mutator bytes) {
        this.bytes = bytes;
    }

    /** Parses a seed document (which must be valid JSON). */
    public static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("seed is not JSON: " + json, e);
        }
    }

    /**
     * A mutated copy of {@code seed} as UTF-8 bytes.
     *
     * @param seed a valid document (unchanged)
     * @param corpus valid documents as bytes, for byte-level splicing
     * @return the mutated document, usually still JSON, sometimes not
     */
    public byte[] mutate(JsonNode seed, List<byte[]> corpus) {
        JsonNode root = seed.deepCopy();
        int rounds = 1 + bytes.random().nextInt(4);
        String text = null;
        for (int i = 0; i < rounds; i++) {
            List<JsonNode> containers = new ArrayList<>();
            collect(root, containers);
            if (containers.isEmpty()) {
                root = randomValue(2);
                continue;
            }
            JsonNode target = containers.get(bytes.random().nextInt(containers.size()));
            if (target instanceof ObjectNode o) {
                mutateObject(o);
            } else if (target instanceof ArrayNode a) {
                mutateArray(a);
            }
        }
        text = bounded(root);
        if (text == null) {                     // grew past the bound: go on from the seed
            root = seed;
            text = seed.toString();
        }
        int choice = bytes.random().nextInt(20);
        if (choice <= 1 && text.length() <= MAX_BYTES) {
            text = duplicateFirstKey(root, text);
        } else if (choice == 2) {
            text = deepNesting(bytes.random().nextInt(3000));
        }
        byte[] out = text.getBytes(StandardCharsets.UTF_8);
        if (out.length > MAX_BYTES) {
            out = seed.toString().getBytes(StandardCharsets.UTF_8);
        }
        if (bytes.random().nextInt(4) == 0) {
            out = bytes.mutate(out, corpus);
        }
        return out;
    }

    /**
     * {@code node} as JSON text, or {@code null} once it passes {@link #MAX_BYTES} characters:
     * copies of copies of a large array can reach gigabytes, which Jackson cannot even hold in one
     * string, so the text is never built past the bound.
     */
    static String bounded(JsonNode node) {
        StringWriter out = new StringWriter() {
            @Override
            public void write(char[] chars, int off, int len) {
                check(len);
                super.write(chars, off, len);
            }

            @Override
            public void write(String str, int off, int len) {
                check(len);
                super.write(str, off, len);
            }

            @Override
            public void write(int c) {
                check(1);
                super.write(c);
            }

            private void check(int more) {
                if (getBuffer().length() + (long) more > MAX_BYTES) {
                    throw new TooLarge();
                }
            }
        };
        try {
            MAPPER.writeValue(out, node);
            return out.toString();
        } catch (TooLarge e) {
            return null;
        } catch (IOException e) {               // Jackson wraps what a writer throws, now and then
            if (e.getCause() instanceof TooLarge) {
                return null;
            }
            throw new UncheckedIOException(e);
        }
    }

    /** Thrown by {@link #bounded}'s writer past the bound. */
    private static final class TooLarge extends RuntimeException {
        TooLarge() {
            super("past " + MAX_BYTES + " characters", null, false, false);
        }
    }

    private static void collect(JsonNode node, List<JsonNode> out) {
        if (node.isContainerNode()) {
            out.add(node);
            for (JsonNode child : node) {
                collect(child, out);
            }
        }
    }

    private void mutateObject(ObjectNode o) {
        List<String> keys = new ArrayList<>();
        o.fieldNames().forEachRemaining(keys::add);
        int op = bytes.random().nextInt(keys.isEmpty() ? 1 : 6);
        String key = keys.isEmpty() ? null : keys.get(bytes.random().nextInt(keys.size()));
        switch (op) {
            case 0 -> o.set(keys.isEmpty() || bytes.random().nextBoolean() ? randomKey() : key,
                    randomValue(2));
            case 1, 2 -> o.set(key, replacement(o.get(key)));
            case 3 -> o.remove(key);
            case 4 -> {                                       // a typo of a real key
                JsonNode v = o.remove(key);
                o.set(typo(key), v);
            }
            default -> o.set(key, wrap(o.get(key)));
        }
    }

    private void mutateArray(ArrayNode a) {
        int op = bytes.random().nextInt(a.isEmpty() ? 2 : 5);
        switch (op) {
            case 0 -> a.add(randomValue(2));
            case 1 -> a.insert(0, F.numberNode(bytes.interestingLong()));
            case 2 -> a.remove(bytes.random().nextInt(a.size()));
            case 3 -> {
                int i = bytes.random().nextInt(a.size());
                a.set(i, replacement(a.get(i)));
            }
            default -> {
                int copies = 1 + bytes.random().nextInt(bytes.random().nextBoolean() ? 3 : 300);
                JsonNode e = a.get(bytes.random().nextInt(a.size()));
                for (int i = 0; i < copies; i++) {
                    a.add(e.deepCopy());
                }
            }
        }
    }

    /** A value of the same kind at the edge of its range, or a value of another kind. */
    private JsonNode replacement(JsonNode old) {
        if (old != null && old.isNumber() && bytes.random().nextBoolean()) {
            return switch (bytes.random().nextInt(6)) {
                case 0 -> F.numberNode(bytes.interestingLong());
                case 1 -> F.numberNode(-old.asDouble());
                case 2 -> F.numberNode(new BigInteger("18446744073709551616"));
                case 3 -> F.numberNode(new BigDecimal("1e400"));
                case 4 -> F.numberNode(old.asDouble() + 0.5);
                default -> F.numberNode(bytes.random().nextInt(5) - 1);
            };
        }
        if (old != null && old.isTextual() && bytes.random().nextBoolean()) {
            String s = old.asText();
            return switch (bytes.random().nextInt(6)) {
                case 0 -> F.textNode("");
                case 1 -> F.textNode(s.toLowerCase(java.util.Locale.ROOT));
                case 2 -> F.textNode(s + bytes.interestingText());
                case 3 -> F.textNode(s.repeat(1 + bytes.random().nextInt(2000)));
                case 4 -> F.textNode("\ud800" + s);
                default -> F.textNode(s.isEmpty() ? "x" : s.substring(0, bytes.random().nextInt(s.length())));
            };
        }
        return randomValue(2);
    }

    private JsonNode wrap(JsonNode v) {
        if (bytes.random().nextBoolean()) {
            ArrayNode a = F.arrayNode();
            a.add(v);
            return a;
        }
        ObjectNode o = F.objectNode();
        o.set("value", v);
        return o;
    }

    private JsonNode randomValue(int depth) {
        int kinds = depth > 0 ? 10 : 8;
        return switch (bytes.random().nextInt(kinds)) {
            case 0 -> F.nullNode();
            case 1 -> F.booleanNode(bytes.random().nextBoolean());
            case 2 -> F.numberNode(bytes.interestingLong());
            case 3 -> F.numberNode(bytes.random().nextGaussian() * 1e6);
            case 4 -> F.textNode(bytes.interestingText());
            case 5 -> F.textNode(randomKey());
            case 6 -> F.textNode(new String(new char[1 + bytes.random().nextInt(100_000)])
                    .replace('\0', 'a'));
            case 7 -> F.numberNode(new BigDecimal("-1e-400"));
            case 8 -> {
                ArrayNode a = F.arrayNode();
                int n = bytes.random().nextInt(4);
                for (int i = 0; i < n; i++) {
                    a.add(randomValue(depth - 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = F.objectNode();
                int n = bytes.random().nextInt(3);
                for (int i = 0; i < n; i++) {
                    o.set(randomKey(), randomValue(depth - 1));
                }
                yield o;
            }
        };
    }

    private String randomKey() {
        String[] keys = {"", "kind", "type", "schemaVersion", "__metadata__", "model", "x", "KEY",
            "\u00e9", "steps", "vocab", "id", "null"};
        return keys[bytes.random().nextInt(keys.length)];
    }

    private String typo(String key) {
        if (key.isEmpty()) {
            return "_";
        }
        int i = bytes.random().nextInt(key.length());
        return switch (bytes.random().nextInt(3)) {
            case 0 -> key.substring(0, i) + key.substring(i + 1);
            case 1 -> key.substring(0, i) + Character.toUpperCase(key.charAt(i)) + key.substring(i + 1);
            default -> key + "s";
        };
    }

    /**
     * Repeats the first {@code "key": value} pair of the top-level object (strict parsers refuse
     * it). Works on the tree, not by parsing {@code text} again: a mutated document may hold a
     * string longer than Jackson's default limit.
     */
    private static String duplicateFirstKey(JsonNode root, String text) {
        if (!(root instanceof ObjectNode o) || o.isEmpty()) {
            return text;
        }
        Iterator<String> it = o.fieldNames();
        String key = it.next();
        String pair = F.textNode(key).toString() + ":" + o.get(key).toString();
        return "{" + pair + "," + text.substring(1);
    }

    private static String deepNesting(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }
}
