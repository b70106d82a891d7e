package dev.align.curation.worldwide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.core.io.FileTrees;
import dev.align.core.testing.fuzz.FuzzHarness;
import dev.align.core.testing.fuzz.JsonMutator;
import dev.align.core.testing.fuzz.Mutator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes MetaCLIP 2's metadata folders ({@link WorldwideMetadata#read}): several files at once,
 * named as languages ({@code en.txt}, {@code zh-hant.json}), almost ({@code EN.txt},
 * {@code de.txt.bak}, {@code x.txt}) or as folders, two lists of one language, and contents
 * mutated at the byte and JSON level. Reading must give lists that build a matcher, match and
 * curate captions of every script without error and write back to the same lists, or an
 * {@link IllegalArgumentException} that names the folder or the file.
 */
class WorldwideMetadataFuzzTest {

    private static final FuzzHarness HARNESS = FuzzHarness.builder("metaclip2 metadata folder")
            .allows(IllegalArgumentException.class)
            .maxAllocated(n -> 256 * n + (48L << 20), "256 x files + 48 MiB (matcher tables)")
            .build();
    private static final String[] NAMES = {"en.txt", "de.txt", "ja.txt", "th.json", "en.json",
        "zh-hant.txt", "hi.txt", "EN.txt", "x.txt", "de.txt.bak", "notes.md", "ko.txt",
        "en-gb.json", "toolong1234.txt", "ja-.txt", "dir:ru.txt"};
    private static final List<byte[]> TEXT_SEEDS = List.of(
            utf8("red\napple\ndog\nred apple\n"), utf8("roter\nApfel\nroter Apfel"),
            utf8("リンゴ\n犬\n赤い\n顔\n"), utf8("แอปเปิ้ล\nสุนัข\nหน้า\n"), utf8("हाथ\nसेब\n"));
    private static final List<byte[]> JSON_SEEDS = List.of(
            utf8("[\"red\", \"apple\", \"dog face\"]"), utf8("[\"蘋果\", \"狗\"]"),
            utf8("[\"แมว\"]"));
    private static final List<String> CAPTIONS = List.of("a red apple", "ein roter Apfel",
            "赤いリンゴと犬", "หน้าสุนัข", "蘋果和狗", "लाल सेब", "빨간 사과", "dog face 😀", "");
    private static final List<String> RECORDED = Arrays.asList("en", "de", "ja", null, "zh-hant",
            "hi", "ko", "en", "en-gb");

    @TempDir
    static Path dir;

    @Test
    void foldersReadIntoListsThatMatchAndCurateOrAreRejectedNamingTheFolder() {
        Path folder = dir.resolve("metadata");
        Path copy = dir.resolve("copy");
        HARNESS.check(WorldwideMetadataFuzzTest::generate, input -> {
            FileTrees.delete(folder);
            FileTrees.delete(copy);
            Files.createDirectories(folder);
            unpack(input, folder);
            Map<String, List<String>> lists;
            try {
                lists = WorldwideMetadata.read(folder);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().contains(folder.toString()), "the message names the "
                        + "folder or the file: " + e.getMessage());
                throw e;
            }
            assertFalse(lists.isEmpty());
            WorldwideMatcher matcher = WorldwideMatcher.build(lists);
            assertEquals(lists.keySet(), matcher.languages());
            for (String lang : lists.keySet()) {
                assertEquals(lists.get(lang).size(), matcher.numEntries(lang));
                for (String caption : CAPTIONS) {
                    for (int e : matcher.match(caption, lang)) {
                        assertTrue(e >= 0 && e < lists.get(lang).size(), lang + " entry " + e);
                    }
                }
            }
            WorldwideMetadata.write(lists, copy);
            assertEquals(lists, WorldwideMetadata.read(copy), "written lists read back as they "
                    + "were");
            long[] ids = new long[CAPTIONS.size()];
            Arrays.setAll(ids, i -> i * 7919L);
            try {
                WorldwideCuration.Result r = WorldwideCuration.curate(CAPTIONS, RECORDED, ids,
                        matcher, 2, 0);
                assertEquals(CAPTIONS.size(), r.decisions().size());
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().contains("no English caption matched"),
                        e.getMessage());
            }
        });
    }

    @AfterAll
    static void report() {
        HARNESS.writeReport();
    }

    /** Files as (name length, name, content length, content) records; "dir:" makes a folder. */
    private static byte[] generate(Random r) {
        Mutator m = new Mutator(r);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int files = r.nextInt(5);
        for (int f = 0; f < files; f++) {
            String name = NAMES[r.nextInt(NAMES.length)];
            List<byte[]> seeds = name.endsWith(".json") ? JSON_SEEDS : TEXT_SEEDS;
            byte[] seed = seeds.get(r.nextInt(seeds.size()));
            byte[] content = switch (r.nextInt(4)) {
                case 0 -> seed;
                case 1 -> name.endsWith(".json") ? new JsonMutator(m).mutate(JsonMutator.parse(
                        new String(seed, StandardCharsets.UTF_8)), seeds) : m.mutate(seed, seeds);
                default -> m.mutate(seed, seeds);
            };
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(8).putInt(n.length).putInt(content.length).array());
            out.writeBytes(n);
            out.writeBytes(content);
        }
        return out.toByteArray();
    }

    private static void unpack(byte[] input, Path folder) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(input);
        while (in.remaining() >= 8) {
            byte[] name = new byte[in.getInt()];
            byte[] content = new byte[in.getInt()];
            in.get(name).get(content);
            String n = new String(name, StandardCharsets.UTF_8);
            boolean isDir = n.startsWith("dir:");
            Path p = folder.resolve(isDir ? n.substring(4) : n);
            if (Files.exists(p)) {
                continue;                                    // the first of two same names wins
            }
            if (isDir) {
                Files.createDirectories(p);
            } else {
                Files.write(p, content);
            }
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
