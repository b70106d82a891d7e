package dev.align.data.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.data.shards.Sample;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sink's seeded sample order, its spill to disk, and what a failed import leaves. */
class ImportSinkTest {

    private static final int N = 37;

    @TempDir
    Path dir;

    /** Writes N samples in source order (index i, caption "item i") into {@code out}. */
    private ImportSummary write(String out, long seed, long memoryLimitBytes) throws IOException {
        ImportOptions options = ImportOptions.of(dir.resolve(out)).withSeed(seed)
                .withShardSize(10);
        try (ImportSink sink = new ImportSink("test", options, ImportListener.NONE, N, true,
                memoryLimitBytes)) {
            for (int i = 0; i < N; i++) {
                sink.write(image(i), "item " + i, Map.of("index", i));
            }
            return sink.finish();
        }
    }

    private static BufferedImage image(int i) {
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        image.setRGB(1, 1, 0x010203 * i);
        return image;
    }

    private byte[][] shardBytes(String out) throws IOException {
        byte[][] all = new byte[4][];
        for (int s = 0; s < 4; s++) {
            all[s] = Files.readAllBytes(dir.resolve(out).resolve(String.format("%05d.tar", s)));
        }
        return all;
    }

    @Test
    void theSameSeedGivesByteIdenticalShardsInMemoryOrSpilledToDisk() throws IOException {
        ImportSummary a = write("a", 5, 1L << 30);
        write("b", 5, 1L << 30);
        write("spilled", 5, 200);                              // a few samples, then the file
        write("other", 6, 1L << 30);
        assertEquals(4, a.shardFiles());
        byte[][] bytesA = shardBytes("a");
        byte[][] bytesB = shardBytes("b");
        byte[][] spilled = shardBytes("spilled");
        for (int s = 0; s < 4; s++) {
            assertArrayEquals(bytesA[s], bytesB[s], "shard " + s);
            assertArrayEquals(bytesA[s], spilled[s], "spilled, shard " + s);
        }
        assertFalse(java.util.Arrays.equals(bytesA[0], shardBytes("other")[0]));
        List<Sample> samples = ImportFixtures.samples(a);
        List<Long> order = samples.stream().map(ImportFixtures::index).toList();
        List<Long> sorted = new ArrayList<>(order);
        sorted.sort(null);
        assertEquals(java.util.stream.LongStream.range(0, N).boxed().toList(), sorted,
                "every sample once");
        assertNotEquals(sorted, order, "not in the source order");
        for (int k = 0; k < N; k++) {                           // keys count in written order
            assertEquals(String.format("%09d", k), samples.get(k).key());
            assertEquals("item " + order.get(k), samples.get(k).caption());
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/tokenizer.json")),
                Files.readAllBytes(dir.resolve("other/tokenizer.json")),
                "the tokenizer does not depend on the order");
        assertNoHiddenFiles("spilled");
    }

    @Test
    void aFailedImportLeavesNoEvalFolderAndNoTemporaryFiles() throws IOException {
        ImportOptions options = ImportOptions.of(dir.resolve("out"));
        try (ImportSink sink = new ImportSink("test", options, ImportListener.NONE, N, true,
                100)) {
            for (int i = 0; i < 5; i++) {
                sink.write(image(i), "item " + i, Map.of("index", i));
                sink.writeEval("class " + i, image(i));
            }
            // the importer fails here: close() without finish()
        }
        assertFalse(Files.exists(dir.resolve("out/eval")));
        assertNoHiddenFiles("out");
        try (Stream<Path> files = Files.list(dir.resolve("out"))) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".tar")), "no shard");
        }
    }

    @Test
    void classNamesAndTemplatesGoBesideTheEvalImages() throws IOException {
        ImportOptions options = ImportOptions.of(dir.resolve("out"));
        try (ImportSink sink = new ImportSink("test", options, ImportListener.NONE, 2)) {
            sink.write(image(1), "one", Map.of("index", 0));
            sink.writeEval("B1", image(1));
            sink.evalClassName("B1", "second\tclass ");
            sink.writeEval("A1", image(2));
            sink.evalClassName("A1", "first class");
            sink.evalTemplates(List.of("{}", "a drawing of {}"));
            sink.labels(List.of("zebra", "apple", "zebra", "Émile", "Zulu"));
            sink.finish();
        }
        Path eval = dir.resolve("out/eval");
        assertEquals(List.of("A1\tfirst class", "B1\tsecond class"),
                Files.readAllLines(eval.resolve("classnames.txt")));
        assertEquals(List.of("{}", "a drawing of {}"), Files.readAllLines(
                eval.resolve("templates.txt")));
        assertEquals(List.of("Zulu", "apple", "zebra", "Émile"),
                Files.readAllLines(dir.resolve("out/labels.txt")), "code point order, no repeats");
        assertNoHiddenFiles("out");
    }

    private void assertNoHiddenFiles(String out) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve(out))) {
            List<String> hidden = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith(".")).toList();
            assertEquals(List.of(), hidden);
        }
    }
}
