package dev.align.experiments.pool;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align.core.Checks;
import dev.align.core.json.Json;
import dev.align.data.shards.Sample;
import dev.align.data.shards.ShardReader;
import dev.align.data.shards.ShardReaderOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the shards an importer wrote ({@code ./align data import KIND}) as {@link PoolItem}s, the
 * concept of each taken from the identity its {@code .json} gives:
 *
 * <ul>
 *   <li>{@code emoji}: {@code emoji:} and the code points ({@link #emojiConcept}), shared by the
 *       Google, Twitter and OpenMoji drawings of an emoji. Skin-tone variants are left out (at
 *       the training resolution they are their base emoji with another label);
 *   <li>{@code mdi}: {@code mdi:} and the icon name;
 *   <li>{@code openclipart}: {@code openclipart:} and the drawing's path (every drawing its own
 *       concept).
 * </ul>
 */
public final class SourceItems {

    /** The source kinds this reader knows. */
    public static final List<String> KINDS = List.of("emoji", "mdi", "openclipart");

    private SourceItems() {}

    /**
     * The items of one import.
     *
     * @param kind {@code emoji}, {@code mdi} or {@code openclipart}
     * @param shards the import's shard pattern
     * @param left receives the number of samples left out, by reason
     */
    public static List<PoolItem> read(String kind, String shards, Map<String, Long> left)
            throws IOException {
        Checks.checkArgument(KINDS.contains(kind), "unknown pool source '%s'; known: %s", kind,
                KINDS);
        List<PoolItem> out = new ArrayList<>();
        try (ShardReader r = ShardReader.open(ShardReaderOptions.of(shards), 0)) {
            while (r.hasNext()) {
                Sample s = r.next();
                byte[] json = s.members().get("json");
                Checks.checkArgument(json != null, "%s sample %s in %s has no .json", kind,
                        s.key(), s.shard());
                JsonNode meta = Json.mapper().readTree(new String(json, StandardCharsets.UTF_8));
                PoolItem item = switch (kind) {
                    case "emoji" -> emoji(s, meta, left);
                    case "mdi" -> mdi(s, meta);
                    default -> openclipart(s, meta);
                };
                if (item != null) {
                    out.add(item);
                }
            }
            r.skipped().forEach((k, v) -> left.merge(k, v, Long::sum));
        }
        return out;
    }

    /** {@code emoji:} and the upper-case code points joined by '-', without FE0F. */
    public static String emojiConcept(String hexcode) {
        return "emoji:" + hexcode.toUpperCase(Locale.ROOT).replace("-FE0F", "")
                .replace("FE0F-", "");
    }

    private static PoolItem emoji(Sample s, JsonNode meta, Map<String, Long> left) {
        if (meta.path("skinTone").asInt(0) != 0 || meta.path("hexcode").asText("")
                .matches(".*1F3F[B-F].*")) {
            left.merge("skin_tone", 1L, Long::sum);
            return null;
        }
        String hexcode = required(meta, "hexcode", s);
        return new PoolItem("emoji", meta.path("style").asText("") + "/" + hexcode,
                emojiConcept(hexcode), s.caption(), png(s), meta.path("label").asText(""),
                texts(meta.path("tags")));
    }

    private static PoolItem mdi(Sample s, JsonNode meta) {
        String name = required(meta, "name", s);
        List<String> tags = new ArrayList<>();
        texts(meta.path("aliases")).forEach(a -> tags.add(a.replace('-', ' ')));
        texts(meta.path("tags")).forEach(t -> tags.add(t.toLowerCase(Locale.ROOT)));
        return new PoolItem("mdi", name, "mdi:" + name, s.caption(), png(s),
                meta.path("label").asText(name.replace('-', ' ')), tags);
    }

    private static PoolItem openclipart(Sample s, JsonNode meta) {
        String path = required(meta, "path", s);
        return new PoolItem("openclipart", path, "openclipart:" + path, s.caption(), png(s),
                meta.path("title").asText(""), texts(meta.path("keywords")));
    }

    private static String required(JsonNode meta, String field, Sample s) {
        String v = meta.path(field).asText("");
        Checks.checkArgument(!v.isEmpty(), "sample %s in %s has no '%s' in its .json", s.key(),
                s.shard(), field);
        return v;
    }

    private static byte[] png(Sample s) {
        Checks.checkArgument("png".equals(s.imageExtension()), "sample %s in %s is %s, not png",
                s.key(), s.shard(), s.imageExtension());
        return s.image();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Counts per source kind of a list of items. */
    public static Map<String, Integer> countBySource(List<PoolItem> items) {
        Map<String, Integer> out = new TreeMap<>();
        items.forEach(i -> out.merge(i.source(), 1, Integer::sum));
        return out;
    }
}
