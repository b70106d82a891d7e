package dev.align.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.align.core.io.TextFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Strict JSON for configuration records: unknown keys, duplicate keys, missing primitives,
 * trailing content and numbers where enums belong are all rejected with a message that names the
 * key and the source, because a silently ignored typo in a training config costs a whole run.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private Json() {}

    /** The shared, strictly configured mapper (thread-safe; do not reconfigure it). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Reads a record from a JSON file.
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the file is not UTF-8, or the JSON is malformed, has an
     *     unknown or duplicate key, misses a required key, or violates an invariant of the record;
     *     the message names the file and the key
     */
    public static <T> T read(Path file, Class<T> type) throws IOException {
        String text;
        try {
            text = TextFiles.readUtf8(file);
        } catch (TextFiles.MalformedTextException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return parse(text, type, file.toString());
    }

    /**
     * Reads a record from a JSON string.
     *
     * @param source where the text came from, for error messages
     * @throws IllegalArgumentException as {@link #read(Path, Class)}
     */
    public static <T> T parse(String json, Class<T> type, String source) {
        try {
            JsonNode tree = MAPPER.readTree(json);
            if (tree == null || tree.isMissingNode()) {
                throw new IllegalArgumentException(source + ": empty JSON, expected a " + type.getSimpleName());
            }
            checkKnownKeys(tree, type, "", source);
            return MAPPER.treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "?" : e.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw new IllegalArgumentException(String.format(
                    "%s: unknown key '%s' at %s (you probably got a typo; known keys: %s)",
                    source, e.getPropertyName(), path(e), known), e);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String where = e.getPath().isEmpty() ? "" : " " + path(e);
            String why = cause.getMessage() != null ? cause.getMessage()
                    : cause.getClass().getSimpleName();
            throw new IllegalArgumentException(String.format(
                    "%s: invalid%s: %s", source, where, why), e);
        } catch (InvalidFormatException e) {
            throw new IllegalArgumentException(String.format(
                    "%s: value %s at %s is not a valid %s", source, e.getValue(), path(e),
                    e.getTargetType().getSimpleName()), e);
        } catch (MismatchedInputException e) {
            throw new IllegalArgumentException(String.format(
                    "%s: %s at %s", source, tidy(e.getOriginalMessage()), path(e)), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(String.format(
                    "%s: malformed JSON: %s", source, e.getOriginalMessage()), e);
        }
    }

    /**
     * Rejects keys that are not components of a record and requires every component not marked
     * {@link JsonOptional}, recursively through nested records, before binding: Jackson would
     * otherwise report a missing key first and hide the typo that caused it.
     */
    private static void checkKnownKeys(JsonNode node, Class<?> type, String path, String source) {
        if (!type.isRecord() || !node.isObject()) {
            return;
        }
        Map<String, RecordComponent> components = new LinkedHashMap<>();
        for (RecordComponent c : type.getRecordComponents()) {
            components.put(c.getName(), c);
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            RecordComponent c = components.get(key);
            String where = path.isEmpty() ? key : path + "." + key;
            if (c == null) {
                throw new IllegalArgumentException(String.format(
                        "%s: unknown key '%s'%s (you probably got a typo; known keys: %s)", source,
                        key, path.isEmpty() ? "" : " in '" + path + "'",
                        String.join(", ", new TreeSet<>(components.keySet()))));
            }
            checkKnownKeys(node.get(key), c.getType(), where, source);
            Class<?> element = listElement(c);
            if (element != null && node.get(key).isArray()) {
                for (int i = 0; i < node.get(key).size(); i++) {
                    checkKnownKeys(node.get(key).get(i), element, where + "[" + i + "]", source);
                }
            }
        }
        for (RecordComponent c : components.values()) {
            if (!node.has(c.getName()) && !c.isAnnotationPresent(JsonOptional.class)) {
                throw new IllegalArgumentException(String.format("%s: missing key '%s'%s", source,
                        c.getName(), path.isEmpty() ? "" : " in '" + path + "'"));
            }
        }
    }

    /** The element class of a {@code List<E>} component, or {@code null}. */
    private static Class<?> listElement(RecordComponent c) {
        if (c.getType() == java.util.List.class
                && c.getGenericType() instanceof java.lang.reflect.ParameterizedType p
                && p.getActualTypeArguments()[0] instanceof Class<?> e) {
            return e;
        }
        return null;
    }

    /** Writes a value as indented JSON. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Jackson's binding messages without its internals: {@code `dev.align.x.StepKind`} becomes
     * {@code StepKind}, token names become words.
     */
    static String tidy(String message) {
        if (message == null) {
            return "invalid value";
        }
        return message.replaceAll("\\(token `?JsonToken\\.START_OBJECT`?\\)", "(an object)")
                .replaceAll("\\(token `?JsonToken\\.START_ARRAY`?\\)", "(an array)")
                .replaceAll("\\(token `?JsonToken\\.([A-Z_]+)`?\\)", "($1)")
                .replaceAll("`(?:\\w+[.$])+([A-Za-z_]\\w*)`", "$1")
                .replace(" (although at least one Creator exists)", "");
    }

    private static String path(com.fasterxml.jackson.databind.JsonMappingException e) {
        String p = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        return p.isEmpty() ? "the top level" : "'" + p + "'";
    }
}
