package dev.align.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SafeTensorsFileTest {

    private static final TensorData ONE = TensorData.ofFloats(new long[0], new float[] {1f});

    @Test
    void keepsTheGivenOrderAndIsUnmodifiable() {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put("z", ONE);
        tensors.put("a", ONE);
        SafeTensorsFile file = new SafeTensorsFile(tensors, Map.of("k", "v"));
        tensors.clear();

        assertEquals(List.of("z", "a"), List.copyOf(file.tensors().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> file.tensors().put("b", ONE));
        assertThrows(UnsupportedOperationException.class, () -> file.metadata().clear());
    }

    @Test
    void looksUpATensorByName() {
        SafeTensorsFile file = new SafeTensorsFile(Map.of("w", ONE), Map.of());
        assertSame(ONE, file.tensor("w"));
    }

    @Test
    void missingTensorMessageListsTheNames() {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put("visual.proj", ONE);
        tensors.put("text_projection", ONE);
        SafeTensorsFile file = new SafeTensorsFile(tensors, Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> file.tensor("visual.projection"));
        assertEquals("no tensor 'visual.projection' here; the 2 tensors are: visual.proj, "
                + "text_projection", e.getMessage());
    }

    @Test
    void rejectsNullNamesAndValues() {
        Map<String, TensorData> nullValue = new HashMap<>();
        nullValue.put("w", null);
        assertThrows(NullPointerException.class, () -> new SafeTensorsFile(nullValue, Map.of()));
        Map<String, String> nullKey = new HashMap<>();
        nullKey.put(null, "v");
        assertThrows(NullPointerException.class, () -> new SafeTensorsFile(Map.of(), nullKey));
    }
}
