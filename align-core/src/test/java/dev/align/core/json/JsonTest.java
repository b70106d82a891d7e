package dev.align.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {

    record Inner(int size, String name) {}

    record Outer(int version, Inner inner) {
        Outer {
            if (version < 1) {
                throw new IllegalArgumentException("version must be >= 1, got " + version);
            }
        }
    }

    record Many(java.util.List<Inner> items) {}

    @Test
    void checksTheRecordsOfAListToo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(
                "{\"items\":[{\"size\":1,\"name\":\"a\"},{\"size\":2}]}", Many.class, "l.json"));
        assertTrue(e.getMessage().contains("missing key 'name' in 'items[1]'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Json.parse(
                "{\"items\":[{\"size\":1,\"nme\":\"a\"}]}", Many.class, "l.json"));
        assertTrue(e.getMessage().contains("unknown key 'nme' in 'items[0]'"), e.getMessage());
        assertEquals(new Many(java.util.List.of(new Inner(1, "a"))), Json.parse(
                "{\"items\":[{\"size\":1,\"name\":\"a\"}]}", Many.class, "l.json"));
    }

    private static IllegalArgumentException fails(String json) {
        return assertThrows(IllegalArgumentException.class, () -> Json.parse(json, Outer.class, "cfg.json"));
    }

    @Test
    void roundTrips() {
        Outer o = new Outer(2, new Inner(3, "x"));
        assertEquals(o, Json.parse(Json.write(o), Outer.class, "mem"));
    }

    @Test
    void namesUnknownNestedKeysAndTheSource() {
        String msg = fails("{\"version\":1,\"inner\":{\"sise\":3,\"name\":\"x\"}}").getMessage();
        assertTrue(msg.contains("cfg.json") && msg.contains("'sise'") && msg.contains("'inner'")
                && msg.contains("known keys: name, size"), msg);
    }

    @Test
    void rejectsMissingDuplicateTrailingAndMistypedValues() {
        assertTrue(fails("{\"version\":1}").getMessage().contains("inner"));
        assertTrue(fails("{\"version\":1,\"version\":2,\"inner\":{\"size\":3,\"name\":\"x\"}}")
                .getMessage().contains("version"));
        fails("{\"version\":1,\"inner\":{\"size\":3,\"name\":\"x\"}} {}");
        fails("{\"version\":1.5,\"inner\":{\"size\":3,\"name\":\"x\"}}");
        fails("{\"version\":\"1\",\"inner\":{\"size\":3,\"name\":\"x\"}}");
        fails("{\"version\":1,\"inner\":{\"size\":null,\"name\":\"x\"}}");
        fails("");
        fails("{\"version\":1,");
    }

    /** Fuzz finding: a config that is not UTF-8 failed with "MalformedInputException: Input length = 1". */
    @Test
    void aFileThatIsNotUtf8IsRejectedNamingTheFileAndTheOffset(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("run.json");
        Files.write(file, new byte[] {'{', '"', 'v', (byte) 0xFF, '"', ':', '1', '}'});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.read(file, Outer.class));
        assertTrue(e.getMessage().contains(file + " is not valid UTF-8: byte 0xFF at offset 3"),
                e.getMessage());
    }

    record Listed(List<String> names) {
        Listed {
            names = List.copyOf(names);
        }
    }

    /** Fuzz finding: an invariant that failed without a message gave "invalid 'x': null". */
    @Test
    void anInvariantFailingWithoutAMessageIsNamedByItsType() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.parse("{\"names\": [\"a\", null]}", Listed.class, "cfg.json"));
        assertEquals("cfg.json: invalid: NullPointerException", e.getMessage());
    }

    @Test
    void bindingMessagesNameTypesNotJacksonInternals() {
        String msg = fails("{\"version\":1,\"inner\":[1]}").getMessage();
        assertTrue(msg.contains("Cannot deserialize value of type Inner from Array value (an array)")
                && msg.contains("'inner'") && !msg.contains("dev.align"), msg);
    }

    @Test
    void invariantViolationsKeepTheirMessage() {
        String msg = fails("{\"version\":0,\"inner\":{\"size\":3,\"name\":\"x\"}}").getMessage();
        assertTrue(msg.contains("version must be >= 1, got 0"), msg);
    }
}
