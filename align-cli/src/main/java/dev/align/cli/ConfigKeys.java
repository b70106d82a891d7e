package dev.align.cli;

import dev.align.core.json.JsonOptional;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The keys of a strict-JSON config, read from its record components (what the JSON reader
 * binds), so that help text lists exactly the keys a config accepts: nested records become
 * nested keys, lists of records {@code key[]}, enums their constants.
 */
final class ConfigKeys {

    /**
     * One key.
     *
     * @param path dotted path from the top ({@code data.shuffleBuffer}, {@code eval.zeroShot.name}
     *     for the elements of a list)
     * @param depth nesting depth, 0 at the top
     * @param type what the value is: {@code integer}, {@code number}, {@code string},
     *     {@code true|false}, {@code A|B} for enums, {@code {...}}, {@code [{...}]},
     *     {@code [string]}
     * @param required whether the key must be present
     */
    record Key(String path, int depth, String type, boolean required) {

        /** The last element of the path. */
        String name() {
            return path.substring(path.lastIndexOf('.') + 1);
        }
    }

    private ConfigKeys() {}

    /**
     * Every key of {@code type}, depth first in component order.
     *
     * @param opaque record types shown as one key (their own help lives elsewhere)
     */
    static List<Key> of(Class<? extends Record> type, Set<Class<?>> opaque) {
        List<Key> out = new ArrayList<>();
        walk(type, "", 0, opaque, out);
        return out;
    }

    private static void walk(Class<?> type, String prefix, int depth, Set<Class<?>> opaque,
            List<Key> out) {
        for (RecordComponent c : type.getRecordComponents()) {
            String path = prefix + c.getName();
            boolean required = !c.isAnnotationPresent(JsonOptional.class);
            Class<?> raw = c.getType();
            Type generic = c.getGenericType();
            if (raw.isRecord() && !opaque.contains(raw)) {
                out.add(new Key(path, depth, "{...}", required));
                walk(raw, path + ".", depth + 1, opaque, out);
            } else if (List.class.isAssignableFrom(raw) && generic instanceof ParameterizedType p
                    && p.getActualTypeArguments()[0] instanceof Class<?> element) {
                boolean nested = element.isRecord() && !opaque.contains(element);
                out.add(new Key(path, depth, "[" + (nested ? "{...}" : scalar(element)) + "]",
                        required));
                if (nested) {
                    walk(element, path + ".", depth + 1, opaque, out);
                }
            } else {
                out.add(new Key(path, depth, opaque.contains(raw) ? "{...}" : scalar(raw),
                        required));
            }
        }
    }

    private static String scalar(Class<?> type) {
        if (type.isEnum()) {
            return Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining("|"));
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "integer";
        }
        if (type == double.class || type == Double.class || type == float.class
                || type == Float.class) {
            return "number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true|false";
        }
        if (type == String.class || type == Path.class) {
            return "string";
        }
        throw new IllegalArgumentException("no JSON type for " + type + ": describe it in "
                + "ConfigKeys.scalar");
    }
}
