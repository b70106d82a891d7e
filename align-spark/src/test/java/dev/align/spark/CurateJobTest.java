package dev.align.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.core.json.Json;
import dev.align.curation.metaclip.BalanceDecision;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
}
