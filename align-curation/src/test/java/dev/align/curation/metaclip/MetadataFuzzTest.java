package dev.align.curation.metaclip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.align.core.testing.fuzz.FuzzHarness;
import dev.align.core.testing.fuzz.JsonMutator;
import dev.align.core.testing.fuzz.Mutator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes MetaCLIP metadata files (one entry per line, and MetaCLIP's {@code metadata.json}) with
 * byte- and JSON-level mutations: empty entries, line breaks, CR, invalid UTF-8, JSON that is not
 * an array of strings, huge and repeated entries. Reading must give entries or an
 * {@link IllegalArgumentException} naming the file; the entries read must build a matcher that
 * matches a caption without error.
 */
class MetadataFuzzTest {

    private static final FuzzHarness TEXT = harness("metaclip metadata (.txt)");
    private static final FuzzHarness JSON = harness("metaclip metadata (.json)");
    private static final List<String> ENTRIES = List.of("cat", "dog", "red car", "New York",
            "café", "東京", "a", "c++", "t-shirt", "the cat", "cat sat", "mat.", "e.g", "1990s");
    private static final List<byte[]> TEXT_SEEDS = List.of(
            (String.join("\n", ENTRIES) + "\n").getBytes(StandardCharsets.UTF_8),
            String.join("\n", ENTRIES.subList(0, 5)).getBytes(StandardCharsets.UTF_8),
            "one\n".repeat(50).getBytes(StandardCharsets.UTF_8));
    private static final List<byte[]> JSON_SEEDS = jsonSeeds();

    private static FuzzHarness harness(String name) {
        return FuzzHarness.builder(name)
                .allows(IllegalArgumentException.class)
                .maxAllocated(n -> 256 * n + (32L << 20), "256 x file + 32 MiB (matcher tables)")
                .build();
    }

    @Test
    void textListsReadOrAreRejectedNamingTheFile() throws IOException {
        Path file = Files.createTempFile("fuzz", ".txt");
        try {
            TEXT.check(r -> new Mutator(r).mutate(TEXT_SEEDS.get(r.nextInt(TEXT_SEEDS.size())),
                    TEXT_SEEDS), input -> readAndMatch(file, input));
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void jsonListsReadOrAreRejectedNamingTheFile() throws IOException {
        Path file = Files.createTempFile("fuzz", ".json");
        try {
            JSON.check(MetadataFuzzTest::mutateJson, input -> readAndMatch(file, input));
        } finally {
            Files.delete(file);
        }
    }

    @AfterAll
    static void report() {
        TEXT.writeReport();
        JSON.writeReport();
    }

    private static void readAndMatch(Path file, byte[] input) throws IOException {
        Files.write(file, input);
        try {
            List<String> entries = Metadata.read(file);
            MetadataMatcher matcher = MetadataMatcher.build(entries);
            assertEquals(entries.size(), matcher.numEntries());
            for (int e : matcher.match("a red car and the cat sat on the mat. café 東京, 1990s")) {
                assertTrue(e >= 0 && e < entries.size(), "entry id " + e);
            }
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().contains(file.toString())
                    || e.getMessage().contains("metadata"), "the message names the file: "
                    + e.getMessage());
            throw e;
        }
    }

    private static byte[] mutateJson(Random r) {
        Mutator m = new Mutator(r);
        byte[] seed = JSON_SEEDS.get(r.nextInt(JSON_SEEDS.size()));
        return r.nextInt(3) == 0 ? m.mutate(seed, JSON_SEEDS)
                : new JsonMutator(m).mutate(JsonMutator.parse(new String(seed,
                        StandardCharsets.UTF_8)), JSON_SEEDS);
    }

    private static List<byte[]> jsonSeeds() {
        List<byte[]> seeds = new ArrayList<>();
        ArrayNode all = JsonNodeFactory.instance.arrayNode();
        ENTRIES.forEach(all::add);
        seeds.add(all.toString().getBytes(StandardCharsets.UTF_8));
        seeds.add("[\"one\"]".getBytes(StandardCharsets.UTF_8));
        return seeds;
    }
}
