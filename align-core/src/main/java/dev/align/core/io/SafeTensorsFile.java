package dev.align.core.io;

import static dev.align.core.Checks.checkArgument;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The content of a safetensors file: named tensors and the optional string-to-string
 * {@code __metadata__} of its header. Both maps are unmodifiable and keep the order they were
 * given in; {@link SafeTensors#readFile} gives tensors in file order (by data offset).
 *
 * @param tensors tensors by name
 * @param metadata free-form header metadata, empty when the file has none
 */
public record SafeTensorsFile(Map<String, TensorData> tensors, Map<String, String> metadata) {

    private static final int NAMES_IN_MESSAGE = 20;

    /**
     * Copies both maps, keeping their iteration order.
     *
     * @throws NullPointerException if a map, a name, a key or a value is null
     */
    public SafeTensorsFile {
        tensors = orderedCopy(tensors, "tensors");
        metadata = orderedCopy(metadata, "metadata");
    }

    /**
     * The tensor called {@code name}.
     *
     * @param name the tensor's name in the file, such as {@code "visual.proj"}
     * @return the tensor
     * @throws IllegalArgumentException if there is none; the message lists the names there are
     */
    public TensorData tensor(String name) {
        TensorData tensor = tensors.get(name);
        checkArgument(tensor != null, "no tensor '%s' here; the %s tensors are: %s%s",
                name, tensors.size(),
                tensors.keySet().stream().limit(NAMES_IN_MESSAGE).collect(Collectors.joining(", ")),
                tensors.size() > NAMES_IN_MESSAGE ? ", ..." : "");
        return tensor;
    }

    private static <V> Map<String, V> orderedCopy(Map<String, V> map, String what) {
        Objects.requireNonNull(map, what);
        Map<String, V> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(
                Objects.requireNonNull(key, () -> "null key in " + what),
                Objects.requireNonNull(value, () -> "null value for '" + key + "' in " + what)));
        return Collections.unmodifiableMap(copy);
    }
}
