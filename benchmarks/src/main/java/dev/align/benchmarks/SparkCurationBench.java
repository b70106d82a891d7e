package dev.align.benchmarks;

import dev.align.core.io.FileTrees;
import dev.align.curation.metaclip.BalanceDecision;
import dev.align.curation.metaclip.EntryCounts;
import dev.align.curation.metaclip.MetaClipBalancer;
import dev.align.curation.metaclip.MetadataMatcher;
import dev.align.curation.metaclip.PairIds;
import dev.align.spark.MetaClipJob;
import dev.align.spark.MetaClipSummary;
import dev.align.spark.PoolSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * MetaCLIP curation of a large pool end to end, local and on Spark, with the kept sets compared.
 * The pool is the benchmark's captions ({@code tools/metaclip-inputs.sh}) repeated to {@code N}
 * pairs with keys {@code 0000000 ...}, written once as parquet; the local run matches, counts and
 * balances it in memory on {@code threads} threads; the Spark run reads the parquet and writes the
 * decisions parquet.
 *
 * <pre>
 * java [align-spark's spark.java17.flags] \
 *     -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath-spark.txt)" \
 *     dev.align.benchmarks.SparkCurationBench INPUTS_DIR WORK_DIR
 *     [pairs=1000000] [threshold=200] [master=local[2]] [threads=2]
 * </pre>
 */
public final class SparkCurationBench {

    private SparkCurationBench() {}

    /**
     * Runs the benchmark and prints its figures.
     *
     * @param args inputs directory, work directory, then optional pairs, threshold, master,
     *     threads
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        Path inputs = Path.of(args[0]);
        Path work = Path.of(args[1]);
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        long threshold = args.length > 3 ? Long.parseLong(args[3]) : 200;
        String master = args.length > 4 ? args[4] : "local[2]";
        int threads = args.length > 5 ? Integer.parseInt(args[5]) : 2;
        long seed = 7;
        List<String> entries = MetaClipJob.readMetadata(inputs.resolve("entries.txt"));
        List<String> base = Files.readAllLines(inputs.resolve("captions.txt"),
                StandardCharsets.UTF_8);
        List<String> keys = new ArrayList<>(n);
        List<String> captions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            keys.add(String.format("%07d", i));
            captions.add(base.get(i % base.size()));
        }

        SparkSession spark = SparkSession.builder().master(master).appName("curation bench")
                .config("spark.ui.enabled", "false").getOrCreate();
        Path pool = work.resolve("pool-" + n + ".parquet");
        if (!Files.exists(pool)) {
            List<Row> rows = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                rows.add(RowFactory.create(keys.get(i), captions.get(i)));
            }
            spark.createDataFrame(rows, new StructType().add("key", DataTypes.StringType)
                    .add("caption", DataTypes.StringType)).repartition(8).write()
                    .parquet(pool.toString());
        }

        // Local: build, match, count, balance, all in memory (threads = 0 skips it).
        Set<String> localKept = threads > 0
                ? local(entries, keys, captions, threshold, seed, threads) : Set.of();
        captions = null;

        // Spark: parquet in, decisions parquet out, end to end.
        for (int round = 0; round < 2; round++) {
            String out = work.resolve("out-" + System.nanoTime()).toString();
            MetaClipSummary s = MetaClipJob.run(spark, PoolSpec.parquet(pool.toString(), 0),
                    entries, threshold, seed, out, false);
            Set<String> sparkKept = new HashSet<>();
            spark.read().parquet(out + "/decisions").filter("kept").select("key")
                    .collectAsList().forEach(r -> sparkKept.add(r.getString(0)));
            System.out.printf("spark %s round %d: %.2f s end to end (read+match+count %.2f s), "
                    + "%,.0f captions/s, %d partitions; kept %,d; same kept set as local: %s%n",
                    master, round, s.seconds(), s.countSeconds(), n / s.seconds(),
                    s.partitions(), s.kept(),
                    threads > 0 ? sparkKept.equals(localKept) : "not run");
            FileTrees.delete(Path.of(out));
        }
        spark.stop();
    }

    private static Set<String> local(List<String> entries, List<String> keys,
            List<String> captions, long threshold, long seed, int threads) {
        int n = keys.size();
        long t0 = System.nanoTime();
        MetadataMatcher matcher = MetadataMatcher.build(entries);
        long t1 = System.nanoTime();
        List<int[]> matches = matcher.matchAll(captions, threads);
        EntryCounts counts = EntryCounts.count(entries.size(), matches);
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = PairIds.of(keys.get(i));
        }
        List<BalanceDecision> decisions = new MetaClipBalancer(counts, threshold, seed)
                .decideAll(ids, matches, threads);
        long t2 = System.nanoTime();
        Set<String> kept = new HashSet<>();
        for (int i = 0; i < n; i++) {
            if (decisions.get(i).kept()) {
                kept.add(keys.get(i));
            }
        }
        System.out.printf("local (%d threads): build %.2f s, match+count+balance %.2f s: %,.0f "
                + "captions/s (%,.0f with the build); kept %,d of %,d%n", threads,
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, n / ((t2 - t1) / 1e9), n / ((t2 - t0) / 1e9),
                kept.size(), n);
        return kept;
    }
}
