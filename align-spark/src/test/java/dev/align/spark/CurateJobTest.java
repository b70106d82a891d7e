package dev.align.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.core.json.Json;
import dev.align.curation.metaclip.BalanceDecision;
import dev.align.curation.pipeline.CurationConfig;
import dev.align.curation.pipeline.CurationPipeline;
import dev.align.curation.pipeline.CurationSummary;
import dev.align.curation.pipeline.StepSyntax;
import dev.align.curation.worldwide.WorldwideMetadata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurateJobTest {

    @TempDir
    Path tmp;

    /** Runs the command line, returning its exit status and what it printed on stderr. */
    private static Object[] run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            int status = CurateJob.run(args);
            return new Object[] {status, buffer.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(err);
        }
    }

    @Test
    void metaclipOnShardsWritesTheLocalKeptCountInItsSummary() throws IOException {
        List<String> vocabulary = TestPools.vocabulary(80);
        List<String> metadata = TestPools.metadata(vocabulary);
        Map<String, String> pool = TestPools.captions(500, vocabulary, 11);
        TestPools.writeShards(pool, tmp.resolve("pool"), 200);
        Path entries = tmp.resolve("entries.txt");
        Files.write(entries, metadata, StandardCharsets.UTF_8);
        Path out = tmp.resolve("out");

        Object[] r = run("metaclip", "--master", "local[2]",
                "--shards", tmp.resolve("pool") + "/{00000..00002}.tar",
                "--metadata", entries.toString(), "--threshold", "15", "--seed", "3",
                "--out", out.toString());
        assertEquals(0, r[0], (String) r[1]);
        long kept = TestPools.localMetaClip(pool, metadata, 15, 3).values().stream()
                .filter(BalanceDecision::kept).count();
        MetaClipSummary summary = Json.read(out.resolve("summary.json"), MetaClipSummary.class);
        assertEquals(kept, summary.kept());
        assertEquals(500, summary.pairs());
        assertEquals(3, summary.partitions());
        assertTrue(((String) r[1]).contains("metaclip: kept " + kept + " of 500 pairs"),
                (String) r[1]);
    }

    @Test
    void userErrorsExitWithTwoAndSayWhatToFix() throws IOException {
        Path entries = tmp.resolve("entries.txt");
        Files.writeString(entries, "cat\n\ndog\n");
        Object[] r = run("metaclip", "--parquet", "x.parquet", "--metadata", entries.toString(),
                "--threshold", "5", "--out", tmp.resolve("o").toString());
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("entry 1 is empty"), (String) r[1]);

        r = run("metaclip", "--parquet", "x.parquet", "--shards", "y.tar", "--metadata",
                entries.toString(), "--threshold", "5", "--out", "o");
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("mutually exclusive"), (String) r[1]);

        r = run("dfn", "--shards", "y.tar", "--model", "m", "--top-fraction", "0.1",
                "--threshold", "0.2", "--out", "o");
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("mutually exclusive"), (String) r[1]);
    }

    @Test
    void metaclip2OnShardsKeepsWhatTheLocalStepKeeps() throws IOException {
        Map<String, String[]> pool = TestPools.multilingual(300, 8);
        TestPools.writeMultilingualShards(pool, tmp.resolve("ml"), 151);    // 302 samples
        String pattern = tmp.resolve("ml") + "/{00000..00001}.tar";
        Path metadata = tmp.resolve("metadata");
        WorldwideMetadata.write(TestPools.worldwideMetadata(), metadata);
        CurationSummary local = new CurationPipeline(CurationConfig.of(StepSyntax.parse(
                "metaclip2:metadata=" + metadata + ",t=6,seed=4")),
                new PrintStream(OutputStream.nullOutputStream())).run(pattern,
                tmp.resolve("local"));
        Path out = tmp.resolve("spark");

        Object[] r = run("metaclip2", "--master", "local[2]", "--shards", pattern,
                "--metadata", metadata.toString(), "--threshold", "6", "--seed", "4",
                "--out", out.toString());
        assertEquals(0, r[0], (String) r[1]);
        MetaClip2Summary summary = Json.read(out.resolve("summary.json"), MetaClip2Summary.class);
        assertEquals(local.pairsOut(), summary.kept());
        assertEquals(300, summary.pairs());
        assertEquals(local.skipped(), summary.skipped());
        assertEquals(Files.readString(tmp.resolve("local").resolve(CurationPipeline.LANGUAGES)),
                Files.readString(out.resolve(MetaClip2Job.LANGUAGES)));
        assertTrue(((String) r[1]).contains("metaclip2: kept " + local.pairsOut()
                + " of 300 pairs"), (String) r[1]);
    }

    @Test
    void metaclip2RefusesWhatTheLocalStepRefusesWithItsWords() throws IOException {
        Object[] r = run("metaclip2", "--shards", "y.tar", "--metadata",
                tmp.resolve("none").toString(), "--threshold", "5", "--out", "o");
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("does not exist: metaclip2 takes a folder of "
                + "per-language lists") && ((String) r[1]).contains("curate metadata "
                + "--by-language"), (String) r[1]);

        WorldwideMetadata.write(Map.of("en", List.of("cat")), tmp.resolve("meta"));
        r = run("metaclip2", "--shards", "y.tar", "--metadata", tmp.resolve("meta").toString(),
                "--threshold", "0", "--out", "o");
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("metaclip2 t must be >= 1, got 0"), (String) r[1]);

        r = run("metaclip2", "--parquet", "p", "--shards", "y.tar", "--metadata",
                tmp.resolve("meta").toString(), "--threshold", "5", "--out", "o");
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("mutually exclusive"), (String) r[1]);
    }
}
