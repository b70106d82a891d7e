package dev.align.curation.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.core.testing.FaultyFileSystem;
import dev.align.curation.metaclip.Metadata;
import dev.align.data.shards.ShardReader;
import dev.align.data.shards.ShardReaderOptions;
import dev.align.data.shards.Skip;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Curation on a disk that fills up or a folder that is read-only ({@link FaultyFileSystem}), and
 * after an interruption: the run fails with an error that says the folder holds an unfinished
 * curation, every shard it left is whole, there is no {@code summary.json}, and running the same
 * command again starts over and writes exactly what a run that never failed writes.
 */
class CurationFaultTest {

    @TempDir
    static Path shared;
    static String pool;
    static CurationConfig config;
    static Path reference;
    static long shardBytes;

    @TempDir
    Path real;

    @BeforeAll
    static void poolAndReference() throws IOException {
        TinyPool a = new TinyPool();
        TinyPool b = new TinyPool();
        String[] colours = {"red", "green", "blue", "yellow"};
        for (int i = 0; i < 60; i++) {
            (i < 30 ? a : b).add(String.format("%06d", i), TinyPool.png(24, 20, 0x010203 * (i + 1)),
                    "a " + colours[i % 4] + " thing number " + i);
        }
        a.write(shared.resolve("pool/00000.tar"));
        b.write(shared.resolve("pool/00001.tar"));
        pool = shared.resolve("pool") + "/{00000..00001}.tar";
        Path metadata = shared.resolve("metadata.txt");
        Metadata.write(List.of("red", "green", "blue", "yellow", "thing"), metadata);
        config = CurationConfig.of(StepSyntax.parse("metaclip:metadata=" + metadata + ",t=9,seed=2"))
                .withThreads(2).withSamplesPerShard(4);
        reference = shared.resolve("reference");
        run(reference);
        try (Stream<Path> shards = Files.list(reference.resolve("shards"))) {
            for (Path p : shards.toList()) {
                shardBytes += Files.size(p);
            }
        }
    }

    private static CurationSummary run(Path out) throws IOException {
        return new CurationPipeline(config, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8)).run(pool, out);
    }

    /** The files a curation writes are those of the reference run, byte for byte. */
    private static void assertSameAsReference(Path realOut) throws IOException {
        assertArrayEquals(Files.readAllBytes(reference.resolve(CurationPipeline.DECISIONS)),
                Files.readAllBytes(realOut.resolve(CurationPipeline.DECISIONS)));
        assertEquals(names(reference.resolve("shards")), names(realOut.resolve("shards")));
        for (String name : names(reference.resolve("shards"))) {
            if (!name.equals("stats.json")) {
                assertArrayEquals(Files.readAllBytes(reference.resolve("shards").resolve(name)),
                        Files.readAllBytes(realOut.resolve("shards").resolve(name)), name);
            }
        }
        assertTrue(Files.exists(realOut.resolve(CurationPipeline.SUMMARY)));
        assertFalse(Files.exists(realOut.resolve(CurationPipeline.INCOMPLETE)));
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return new TreeSet<>(list.map(p -> p.getFileName().toString()).toList());
        }
    }

    /** What a failed run leaves: the mark, no summary, and only whole shards. */
    private static void assertUnfinishedButWhole(Path realOut) throws IOException {
        assertTrue(Files.exists(realOut.resolve(CurationPipeline.INCOMPLETE)));
        assertFalse(Files.exists(realOut.resolve(CurationPipeline.SUMMARY)));
        if (Files.exists(realOut.resolve("shards"))) {
            for (String name : names(realOut.resolve("shards"))) {
                if (name.equals("sizes.json") || name.equals("stats.json")) {
                    continue;                                // written whole once every shard is
                }
                assertTrue(name.matches("\\d{5}\\.tar"), "only whole shards, no temporary file: " + name);
                List<Skip> skips = new ArrayList<>();
                try (ShardReader r = ShardReader.open(ShardReaderOptions.of(
                        realOut.resolve("shards").resolve(name).toString()), 0, skips::add)) {
                    r.forEachRemaining(s -> { });
                }
                assertEquals(List.of(), skips, name + " reads whole");
            }
        }
    }

    @Test
    void aFullDiskStopsTheRunAndTheSameCommandStartsOver() throws IOException {
        FaultyFileSystem fs = FaultyFileSystem.over(real);
        Path out = fs.root().resolve("curated");
        // Room for the mark and the histogram, and for half the shards.
        fs.fillUp(1024 + Files.size(reference.resolve(CurationPipeline.HISTOGRAM)) + shardBytes / 2);
        IOException e = assertThrows(IOException.class, () -> run(out));
        assertTrue(e.getMessage().startsWith("curate: cannot write shards in " + real.resolve("curated"))
                && e.getMessage().contains(FaultyFileSystem.NO_SPACE)
                && e.getMessage().contains("unfinished curation (no summary.json)")
                && e.getMessage().contains("run the same command again"), e.getMessage());
        assertUnfinishedButWhole(real.resolve("curated"));
        assertFalse(names(real.resolve("curated/shards")).isEmpty(), "the disk filled midway");

        fs.heal();
        run(out);
        assertSameAsReference(real.resolve("curated"));
    }

    @Test
    void aFullDiskAtTheReportsStopsTheRunAndTheSameCommandStartsOver() throws IOException {
        FaultyFileSystem fs = FaultyFileSystem.over(real);
        Path out = fs.root().resolve("curated");
        long decisions = Files.size(reference.resolve(CurationPipeline.DECISIONS));
        // Room for the mark, the histogram and every shard, but not for decisions.jsonl.
        fs.fillUp(1024 + Files.size(reference.resolve(CurationPipeline.HISTOGRAM)) + shardBytes
                + decisions / 2);
        IOException e = assertThrows(IOException.class, () -> run(out));
        assertTrue(e.getMessage().startsWith("curate: cannot write " + CurationPipeline.DECISIONS
                        + " in " + real.resolve("curated"))
                && e.getMessage().contains(FaultyFileSystem.NO_SPACE)
                && e.getMessage().contains("run the same command again"), e.getMessage());
        assertUnfinishedButWhole(real.resolve("curated"));
        assertEquals(names(reference.resolve("shards")), names(real.resolve("curated/shards")),
                "every shard was written before the reports");
        assertFalse(Files.exists(real.resolve("curated").resolve(CurationPipeline.DECISIONS)),
                "no half-written decisions.jsonl");

        fs.heal();
        run(out);
        assertSameAsReference(real.resolve("curated"));
    }

    @Test
    void aReadOnlyOutputFolderIsReportedAndTheSameCommandRunsOnceWritable() throws IOException {
        FaultyFileSystem fs = FaultyFileSystem.over(real);
        Path out = fs.root().resolve("curated");
        Files.createDirectories(out);
        fs.makeReadOnly(out);
        IOException e = assertThrows(IOException.class, () -> run(out));
        assertTrue(e.getMessage().contains("cannot write " + CurationPipeline.INCOMPLETE)
                && e.getMessage().contains("permission denied"), e.getMessage());
        assertEquals(Set.of(), names(real.resolve("curated")));

        fs.heal();
        run(out);
        assertSameAsReference(real.resolve("curated"));
    }

    @Test
    void aReadOnlyShardsFolderStopsTheRunAndTheSameCommandStartsOver() throws IOException {
        FaultyFileSystem fs = FaultyFileSystem.over(real);
        Path out = fs.root().resolve("curated");
        // shards/ will be created by the run, then refuse every file (chmod a-w right after mkdir).
        fs.makeReadOnly(out.resolve("shards"));
        IOException e = assertThrows(IOException.class, () -> run(out));
        assertTrue(e.getMessage().contains("cannot write shards")
                && e.getMessage().contains("permission denied"), e.getMessage());
        fs.heal();
        assertUnfinishedButWhole(real.resolve("curated"));
        run(out);
        assertSameAsReference(real.resolve("curated"));
    }

    /** What SIGKILL or SIGTERM leave behind mid-write, recreated by hand. */
    @Test
    void anInterruptedCurationIsRemovedAndStartedOver() throws IOException {
        Path out = real.resolve("curated");
        Files.createDirectories(out.resolve("shards"));
        Files.writeString(out.resolve(CurationPipeline.INCOMPLETE), "unfinished");
        Files.copy(reference.resolve("shards/00000.tar"), out.resolve("shards/00000.tar"));
        Files.writeString(out.resolve("shards/.00001.tar.1234.tmp"), "half a shard");
        Files.writeString(out.resolve(".decisions.jsonl.5678.tmp"), "{\"key\":");
        run(out);
        assertSameAsReference(out);
        assertFalse(Files.exists(out.resolve(".decisions.jsonl.5678.tmp")));
    }

    @Test
    void anInterruptedCurationBesideOtherFilesIsNotTouched() throws IOException {
        Path out = real.resolve("curated");
        Files.createDirectories(out);
        Files.writeString(out.resolve(CurationPipeline.INCOMPLETE), "unfinished");
        Files.writeString(out.resolve("notes.txt"), "mine");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(out));
        assertTrue(e.getMessage().contains("[notes.txt], which curate did not write"), e.getMessage());
        assertEquals("mine", Files.readString(out.resolve("notes.txt")));
    }

    @Test
    void aFolderWithoutTheMarkIsStillRefusedWhenNotEmpty() throws IOException {
        Path out = real.resolve("curated");
        Files.createDirectories(out);
        Files.writeString(out.resolve("summary.json"), "{}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> run(out)).getMessage()
                .contains("is not empty"));
    }
}
