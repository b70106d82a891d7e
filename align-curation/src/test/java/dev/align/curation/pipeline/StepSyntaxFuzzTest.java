package dev.align.curation.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.align.core.testing.fuzz.FuzzHarness;
import dev.align.core.testing.fuzz.Mutator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the step syntax of {@code ./align curate --steps}: texts built from its own tokens (step
 * names, keys, values at the edge of their types, separators) in random orders, valid step lists
 * with one piece changed, and byte-level mutations of valid ones. Parsing (and checking the steps
 * as a curation config) must give steps or an {@link IllegalArgumentException} with a message.
 */
class StepSyntaxFuzzTest {

    private static final FuzzHarness HARNESS = FuzzHarness.builder("curate --steps syntax")
            .allows(IllegalArgumentException.class)
            .maxAllocated(n -> 256 * n + (16L << 20), "256 x text + 16 MiB")
            .build();
    private static final List<String> VALID = List.of(
            "align-rules,metaclip:metadata=m.txt,t=20000,seed=0,dfn:model=runs/f/model,top=0.15",
            "align-rules:maxWords=30,rareTokenMode=OFF,minShorterSide=64",
            "metaclip:metadata=meta.txt", "dfn:model=m,threshold=0.28,batchSize=32",
            "align-rules:config=rules.json", "metaclip2:metadata=meta,t=8,seed=3",
            "align-rules,metaclip2:metadata=data/metadata");
    private static final String[] TOKENS = {"align-rules", "metaclip", "dfn", "metaclip2", ":",
        ",", "=", "metadata", "t", "seed", "model", "top", "threshold", "batchSize", "config",
        "maxWords", "minWords", "maxAspectRatio", "rareTokenMode", "rareTokenVocabulary", "ANY",
        "OFF", "true", "0", "-1", "0.15", "1e400", "NaN", "-0", "9223372036854775808",
        "2147483648", "1.0E-7", " ", "\t", "m.txt", "", "==", "::", "é", "\u0000", "{}", "\"",
        "1_000", "0x10", "+5"};
    private static final List<byte[]> SEEDS = VALID.stream()
            .map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();

    @Test
    void stepsParseOrAreRejectedWithAMessage() {
        HARNESS.check(StepSyntaxFuzzTest::generate, input -> {
            String text = new String(input, StandardCharsets.UTF_8);
            List<StepConfig> steps = StepSyntax.parse(text);
            assertFalse(steps.isEmpty());
            CurationConfig.of(steps);
        });
    }

    @AfterAll
    static void report() {
        HARNESS.writeReport();
    }

    private static byte[] generate(Random r) {
        switch (r.nextInt(3)) {
            case 0: {
                StringBuilder sb = new StringBuilder();
                int n = 1 + r.nextInt(12);
                for (int i = 0; i < n; i++) {
                    sb.append(TOKENS[r.nextInt(TOKENS.length)]);
                }
                return sb.toString().getBytes(StandardCharsets.UTF_8);
            }
            case 1: {
                String valid = VALID.get(r.nextInt(VALID.size()));
                String token = TOKENS[r.nextInt(TOKENS.length)];
                int at = r.nextInt(valid.length() + 1);
                int end = Math.min(valid.length(), at + r.nextInt(8));
                return (valid.substring(0, at) + token + valid.substring(end))
                        .getBytes(StandardCharsets.UTF_8);
            }
            default:
                return new Mutator(r).mutate(SEEDS.get(r.nextInt(SEEDS.size())), SEEDS);
        }
    }
}
