package dev.align.data.shards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.core.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardInspectorTest {

    @TempDir
    Path dir;

    @Test
    void summarisesSamplesMembersCaptionLengthsAndSkips() throws IOException {
        byte[] png = Fixtures.png(2, 2, 0);
        try (ShardWriter w = new ShardWriter(dir, 3)) {
            w.write("a", "png", png, "one", "{}");
            w.write("b", "jpg", png, "two words", null);
            w.write("c", "png", png, "  a caption of exactly five  ", null);
            w.write("d", "png", png, "x ".repeat(200), null);
            w.write("e", "png", png, " ", null);
        }
        ShardSummary summary = ShardInspector.inspect(dir + "/{00000..00001}.tar");
        assertEquals(2, summary.shards());
        assertEquals(4, summary.samples());
        assertEquals(Map.of("jpg", 1L, "json", 1L, "png", 3L, "txt", 4L),
                summary.membersByExtension());
        assertEquals(List.of(
                new CaptionLengthBin(1, 1, 1), new CaptionLengthBin(2, 3, 1),
                new CaptionLengthBin(4, 7, 1), new CaptionLengthBin(8, 15, 0),
                new CaptionLengthBin(16, 31, 0), new CaptionLengthBin(32, 63, 0),
                new CaptionLengthBin(64, 127, 0),
                new CaptionLengthBin(128, Integer.MAX_VALUE, 1)), summary.captionWords());
        assertEquals(Map.of("empty_caption", 1L), summary.skipped());
        String json = Json.write(summary);
        assertTrue(json.contains("\"empty_caption\" : 1"), json);
        assertEquals(summary, Json.parse(json, ShardSummary.class, "summary"));
    }
}
