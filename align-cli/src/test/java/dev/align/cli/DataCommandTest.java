package dev.align.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.align.data.shards.ShardWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCommandTest {

    @TempDir
    Path dir;

    @Test
    void inspectSummarisesShardsGivenByABracePattern() throws Exception {
        byte[] png = java.util.Base64.getDecoder().decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");
        try (ShardWriter w = new ShardWriter(dir, 2)) {
            w.write("a", "png", png, "a red disc", null);
            w.write("b", "png", png, "a green square top left", null);
            w.write("c", "png", png, "", null);
        }
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            status = Main.run("data", "inspect", dir.resolve("{00000..00001}.tar").toString());
        } finally {
            System.setOut(old);
        }
        assertEquals(0, status);
        JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals(2, json.get("samples").asInt(), json.toString());
        assertTrue(json.get("skipped").toString().contains("empty_caption"), json.toString());
    }
}
