package dev.align.experiments.curation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.align.core.testing.fuzz.FuzzHarness;
import dev.align.core.testing.fuzz.JsonMutator;
import dev.align.core.testing.fuzz.Mutator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the strict JSON of experiment configs ({@code ./align experiment curation --config}) with
 * structure-aware mutations (wrong types, values at the edge of their range, missing, unknown,
 * misspelt and repeated keys, deep nesting) and byte-level ones. Reading must give a config, with
 * a plan, or an {@link IllegalArgumentException} with a clear message; a config that is read must
 * write itself back to JSON that reads to an equal config.
 */
class ExperimentConfigFuzzTest {

    private static final FuzzHarness HARNESS = FuzzHarness.builder("experiment config (JSON)")
            .allows(IllegalArgumentException.class)
            .maxAllocated(n -> 96 * n + (16L << 20), "96 x file + 16 MiB")
            .build();
    private static final List<byte[]> SEEDS = List.of(
            utf8(CurationExperimentConfig.quick().toJson()),
            utf8(CurationExperimentConfig.full().toJson()),
            utf8(CurationExperimentConfigTest.MINIMAL));

    @Test
    void experimentConfigsReadOrAreRejectedWithAClearMessage() throws IOException {
        Path file = Files.createTempFile("fuzz", ".json");
        try {
            HARNESS.check(ExperimentConfigFuzzTest::mutate, input -> {
                Files.write(file, input);
                CurationExperimentConfig cfg = CurationExperimentConfig.fromJson(file);
                Plan.of(cfg).describe();
                assertEquals(cfg, CurationExperimentConfig.fromJson(cfg.toJson(), "round trip"));
            });
        } finally {
            Files.delete(file);
        }
    }

    @AfterAll
    static void report() {
        HARNESS.writeReport();
    }

    private static byte[] mutate(Random r) {
        Mutator m = new Mutator(r);
        byte[] seed = SEEDS.get(r.nextInt(SEEDS.size()));
        return r.nextInt(4) == 0 ? m.mutate(seed, SEEDS) : new JsonMutator(m).mutate(
                JsonMutator.parse(new String(seed, StandardCharsets.UTF_8)), SEEDS);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
