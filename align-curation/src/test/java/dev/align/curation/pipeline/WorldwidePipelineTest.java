package dev.align.curation.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align.core.json.Json;
import dev.align.curation.metaclip.PairIds;
import dev.align.curation.worldwide.WorldwideCuration;
import dev.align.curation.worldwide.WorldwideDecision;
import dev.align.curation.worldwide.WorldwideMatcher;
import dev.align.curation.worldwide.WorldwideMetadata;
import dev.align.data.shards.Sample;
import dev.align.data.shards.ShardReader;
import dev.align.data.shards.ShardReaderOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metaclip2 step end to end on a pool in English, German, Japanese and Thai. */
class WorldwidePipelineTest {

    @TempDir
    static Path tmp;
    static String pool;
    static Path metadata;
    static final List<String> KEYS = new ArrayList<>();
    static final List<String> CAPTIONS = new ArrayList<>();
    static final List<String> LANGS = new ArrayList<>();

    @BeforeAll
    static void writePool() throws IOException {
        String[][] texts = {
            {"en", "a red apple"}, {"en", "a dog face"}, {"en", "a red heart"},
            {"de", "ein roter Apfel"}, {"de", "ein Hundegesicht"},
            {"ja", "赤いリンゴ"}, {"ja", "犬の顔"},
            {"th", "แอปเปิ้ลแดง"}, {"th", "หน้าสุนัข"}};
        TinyPool a = new TinyPool();
        TinyPool b = new TinyPool();
        for (int i = 0; i < 45; i++) {
            String[] t = texts[i % texts.length];
            String key = String.format("%06d", i);
            // Every fifth Japanese caption is recorded as English: its script says Japanese.
            String recorded = t[0].equals("ja") && i % 5 == 0 ? "en" : t[0];
            TinyPool shard = i < 20 ? a : b;
            shard.add(key, TinyPool.png(8, 8, 0x010203 * (i + 1)), t[1]);
            shard.addRaw(key + ".json", ("{\"lang\":\"" + recorded + "\",\"index\":" + i + "}")
                    .getBytes(StandardCharsets.UTF_8));
            KEYS.add(key);
            CAPTIONS.add(t[1]);
            LANGS.add(recorded);
        }
        a.write(tmp.resolve("pool/00000.tar"));
        b.write(tmp.resolve("pool/00001.tar"));
        pool = tmp.resolve("pool/{00000..00001}.tar").toString();
        metadata = tmp.resolve("metadata");
        WorldwideMetadata.write(Map.of(
                "en", List.of("red", "apple", "dog", "face", "heart"),
                "de", List.of("roter", "Apfel", "Hundegesicht"),
                "ja", List.of("リンゴ", "犬", "顔", "赤い"),
                "th", List.of("แอปเปิ้ล", "หน้า", "สุนัข")), metadata);
    }

    private static CurationSummary run(int threads, Path out) throws IOException {
        CurationConfig cfg = CurationConfig.of(StepSyntax.parse("metaclip2:metadata=" + metadata
                + ",t=6,seed=5")).withThreads(threads).withSamplesPerShard(7);
        return new CurationPipeline(cfg, new PrintStream(OutputStream.nullOutputStream()))
                .run(pool, out);
    }

    @Test
    void explainsEveryPairWithItsLanguageAndThresholdAsTheLibraryDecides() throws IOException {
        Path out = tmp.resolve("out");
        CurationSummary summary = run(2, out);
        assertEquals(45, summary.pairsIn());
        long[] ids = KEYS.stream().mapToLong(PairIds::of).toArray();
        WorldwideCuration.Result expected = WorldwideCuration.curate(CAPTIONS, LANGS, ids,
                WorldwideMatcher.build(WorldwideMetadata.read(metadata)), 6, 5);
        List<String> lines = Files.readAllLines(out.resolve(CurationPipeline.DECISIONS));
        assertEquals(45, lines.size());
        Map<String, JsonNode> byKey = new HashMap<>();
        for (String line : lines) {
            JsonNode d = Json.mapper().readTree(line);
            byKey.put(d.get("key").asText(), d);
        }
        long kept = 0;
        for (int i = 0; i < KEYS.size(); i++) {
            JsonNode d = byKey.get(KEYS.get(i));
            WorldwideDecision w = expected.decisions().get(i);
            assertEquals(w.language(), d.get("lang").asText(), KEYS.get(i));
            assertEquals(w.languageSource().label(), d.get("langSource").asText());
            assertEquals(w.threshold(), d.get("t").asLong());
            assertEquals(w.decision().kept(), d.get("kept").asBoolean());
            assertEquals(w.decision().keepProbability(), d.get("keepProbability").asDouble(), 0);
            assertEquals(w.decision().keptByEntry(), d.get("keptByEntry").asInt());
            kept += w.decision().kept() ? 1 : 0;
        }
        assertEquals(kept, summary.pairsOut());
        // English counts: red 10, apple, dog, face and heart 5 each; t_en = 6 leaves 20 of the
        // 30 matches in the tail, p = 2/3; German (5, 5, 5: portions 1/3, 2/3, 1) gets t = 5.
        assertEquals(2 / 3.0, expected.balancer().tailShare(), 1e-15);
        assertEquals(5L, expected.balancer().thresholds().get("de"));
        // Japanese captions recorded as English are curated in Japanese.
        JsonNode ja = byKey.get("000005");
        assertEquals("ja", ja.get("lang").asText());
        assertEquals("identified", ja.get("langSource").asText());
        JsonNode report = Json.mapper().readTree(out.resolve(CurationPipeline.LANGUAGES).toFile());
        assertEquals(6, report.get("englishT").asLong());
        assertEquals(expected.balancer().tailShare(), report.get("tailShare").asDouble(), 0);
        assertEquals(4, report.get("languages").size());
        // The kept samples keep their .json: the language round-trips through the shards.
        try (ShardReader r = ShardReader.open(ShardReaderOptions.of(
                out.resolve("shards").toString() + "/{00000.." + String.format("%05d",
                        summary.shards() - 1) + "}.tar"), 0)) {
            int n = 0;
            while (r.hasNext()) {
                Sample s = r.next();
                int i = KEYS.indexOf(s.key());
                assertEquals(LANGS.get(i), WorldwideCuration.recordedLanguage(
                        s.members().get("json")), s.key());
                assertEquals(CAPTIONS.get(i), s.caption());
                n++;
            }
            assertEquals(kept, n);
        }
    }

    @Test
    void decisionsAreIdenticalOnOneAndFourThreads() throws IOException {
        run(1, tmp.resolve("t1"));
        run(4, tmp.resolve("t4"));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("t1").resolve(CurationPipeline.DECISIONS)),
                Files.readAllBytes(tmp.resolve("t4").resolve(CurationPipeline.DECISIONS)));
    }

    @Test
    void aMissingMetadataFolderIsNamed() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new CurationPipeline(CurationConfig.of(
                        StepSyntax.parse("metaclip2:metadata=" + tmp.resolve("none"))),
                        new PrintStream(OutputStream.nullOutputStream())).run(pool,
                        tmp.resolve("bad")));
        assertTrue(e.getMessage().contains("curate metadata --by-language"), e.getMessage());
    }
}
