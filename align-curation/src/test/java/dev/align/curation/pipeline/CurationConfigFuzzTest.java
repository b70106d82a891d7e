package dev.align.curation.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.align.core.json.Json;
import dev.align.core.testing.fuzz.FuzzHarness;
import dev.align.core.testing.fuzz.JsonMutator;
import dev.align.core.testing.fuzz.Mutator;
import dev.align.curation.rules.AlignRulesConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the strict JSON of curation configs ({@code ./align curate --config}) and of the ALIGN
 * rules ({@code align-rules:config=FILE}) with structure-aware and byte-level mutations. Reading
 * must give a config or an {@link IllegalArgumentException} with a message; a config that is read
 * must write itself back to JSON that reads to an equal config.
 */
class CurationConfigFuzzTest {

    private static final FuzzHarness CURATION = harness("curation config (JSON)");
    private static final FuzzHarness RULES = harness("align-rules config (JSON)");
    private static final List<byte[]> CURATION_SEEDS = List.of(utf8("""
            {"schemaVersion": 1, "threads": 2, "samplesPerShard": 100,
             "steps": [{"kind": "ALIGN_RULES", "alignRules": {"maxWords": 12, "rareTokenMode": "ALL"}},
                       {"kind": "METACLIP", "metaclip": {"metadata": "m.txt", "t": 500, "seed": 3}},
                       {"kind": "DFN", "dfn": {"model": "runs/f/model", "top": 0.15, "batchSize": 8}}]}"""),
            utf8("{\"schemaVersion\": 1, \"steps\": [{\"kind\": \"DFN\", \"dfn\": {\"model\": \"m\", "
                    + "\"threshold\": 0.25}}]}"),
            utf8(CurationConfig.of(List.of(new StepConfig(StepKind.ALIGN_RULES,
                    AlignRulesConfig.defaults(), null, null, null))).withThreads(1).toJson()),
            utf8("{\"schemaVersion\": 1, \"steps\": [{\"kind\": \"METACLIP2\", \"metaclip2\": "
                    + "{\"metadata\": \"meta\", \"t\": 8, \"seed\": 1}}]}"));
    private static final List<byte[]> RULES_SEEDS = List.of(utf8(AlignRulesConfig.defaults().toJson()),
            utf8("{\"minShorterSide\": 64, \"maxAspectRatio\": 2.5}"), utf8("{}"));

    private static FuzzHarness harness(String name) {
        return FuzzHarness.builder(name)
                .allows(IllegalArgumentException.class)
                .maxAllocated(n -> 96 * n + (16L << 20), "96 x file + 16 MiB")
                .build();
    }

    @Test
    void curationConfigsReadOrAreRejectedWithAMessage() throws IOException {
        Path file = Files.createTempFile("fuzz", ".json");
        try {
            CURATION.check(r -> mutate(r, CURATION_SEEDS), input -> {
                Files.write(file, input);
                CurationConfig cfg = CurationConfig.fromJson(file);
                assertEquals(cfg, Json.parse(cfg.toJson(), CurationConfig.class, "round trip"));
            });
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void alignRulesConfigsReadOrAreRejectedWithAMessage() throws IOException {
        Path file = Files.createTempFile("fuzz", ".json");
        try {
            RULES.check(r -> mutate(r, RULES_SEEDS), input -> {
                Files.write(file, input);
                AlignRulesConfig cfg = StepSyntax.parse("align-rules:config=" + file).get(0)
                        .alignRules();
                assertEquals(cfg, AlignRulesConfig.fromJson(cfg.toJson(), "round trip"));
            });
        } finally {
            Files.delete(file);
        }
    }

    @AfterAll
    static void report() {
        CURATION.writeReport();
        RULES.writeReport();
    }

    static byte[] mutate(Random r, List<byte[]> seeds) {
        Mutator m = new Mutator(r);
        byte[] seed = seeds.get(r.nextInt(seeds.size()));
        return r.nextInt(4) == 0 ? m.mutate(seed, seeds) : new JsonMutator(m).mutate(
                JsonMutator.parse(new String(seed, StandardCharsets.UTF_8)), seeds);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
