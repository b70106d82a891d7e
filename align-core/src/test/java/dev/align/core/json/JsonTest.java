package dev.align.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

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

    @Test
    void invariantViolationsKeepTheirMessage() {
        String msg = fails("{\"version\":0,\"inner\":{\"size\":3,\"name\":\"x\"}}").getMessage();
        assertTrue(msg.contains("version must be >= 1, got 0"), msg);
    }
}
