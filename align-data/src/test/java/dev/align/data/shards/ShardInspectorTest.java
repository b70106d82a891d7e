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

    /** 40 categories of 10 samples, written in the given order of sample indices. */
    private String writeCategories(Path out, List<Integer> order) throws IOException {
        byte[] png = Fixtures.png(2, 2, 0);
        try (ShardWriter w = new ShardWriter(out, 100)) {
            for (int k = 0; k < order.size(); k++) {
                int i = order.get(k);
                int category = i / 10;
                w.write(String.format("%04d", k), "png", png, "alpha" + category + " beta"
                        + category + " item " + (i % 10), "{\"category\":\"c" + category
                        + "\",\"index\":" + i + ",\"tags\":[\"x\"],\"even\":" + (i % 2 == 0)
                        + "}");
            }
        }
        return out + "/{00000..00003}.tar";
    }

    @Test
    void warnsWhenNeighboursShareTheirCategoryFarMoreThanARandomOrderWould() throws IOException {
        List<Integer> sorted = java.util.stream.IntStream.range(0, 400).boxed().toList();
        ShardSummary grouped = ShardInspector.inspect(writeCategories(dir.resolve("sorted"),
                sorted));
        OrderReport order = grouped.order();
        assertEquals(399, order.neighbourPairs());
        OrderReport.FieldRepeats category = order.fields().stream()
                .filter(f -> f.field().equals("category")).findFirst().orElseThrow();
        assertEquals(400, category.samples());
        assertEquals(40, category.distinctValues());
        assertEquals(360 / 399.0, category.neighbours(), 1e-12, "9 of 10 neighbours, by group");
        assertEquals(40 * 10 * 9 / (400.0 * 399), category.random(), 1e-12);
        assertEquals(List.of("category", "even"), order.fields().stream()
                .map(OrderReport.FieldRepeats::field).toList(), "index is unique, tags a list");
        assertTrue(order.captionOverlap() > 0.5, "neighbours: " + order.captionOverlap());
        assertTrue(order.randomCaptionOverlap() < 0.2, "random: " + order.randomCaptionOverlap());
        String warnings = String.join("\n", order.warnings());
        assertEquals(3, order.warnings().size(), warnings);
        assertTrue(warnings.contains("90.2% of neighbouring samples share their 'category' (a "
                + "random order gives 2.3%)"), warnings);
        assertTrue(warnings.contains("neighbouring captions share"), warnings);
        assertTrue(warnings.contains("data.shuffleBuffer >= 400"), warnings);
        assertTrue(!warnings.contains("'even'"), "alternating values are not a run: " + warnings);

        List<Integer> shuffled = new java.util.ArrayList<>(sorted);
        java.util.Collections.shuffle(shuffled, new java.util.Random(3));
        OrderReport random = ShardInspector.inspect(writeCategories(dir.resolve("random"),
                shuffled)).order();
        assertEquals(List.of(), random.warnings());
        assertEquals(random.randomCaptionOverlap(), random.captionOverlap(), 0.05);
    }
}
