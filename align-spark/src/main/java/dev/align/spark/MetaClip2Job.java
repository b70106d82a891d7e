package dev.align.spark;

import dev.align.core.Checks;
import dev.align.core.json.Json;
import dev.align.curation.metaclip.EntryCounts;
import dev.align.curation.worldwide.LanguageReport;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * The whole MetaCLIP 2 curation of a multilingual pool on Spark, from input to files:
 * {@link SparkWorldwide}, then in {@code out}: {@code decisions/} (parquet,
 * {@link #DECISION_SCHEMA}, one row per valid pair), {@code languages.json} (the same file as the
 * local {@code metaclip2} step's), {@code summary.json} ({@link MetaClip2Summary}) and, for a
 * shard pool when asked, {@code shards/} ({@link CuratedShards}).
 */
public final class MetaClip2Job {

    /** Schema of the decisions table: one row per valid pair. */
    public static final StructType DECISION_SCHEMA = new StructType()
            .add("key", DataTypes.StringType, false)
            .add("shard", DataTypes.StringType, true)
            .add("pair_id", DataTypes.LongType, false)
            .add("lang", DataTypes.StringType, true)
            .add("lang_source", DataTypes.StringType, false)
            .add("t", DataTypes.LongType, false)
            .add("entries", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
            .add("kept", DataTypes.BooleanType, false)
            .add("keep_probability", DataTypes.DoubleType, false)
            .add("kept_by_entry", DataTypes.IntegerType, false)
            .add("reason", DataTypes.StringType, false);

    /** Name of the per-language report in the output directory (as the local step's). */
    public static final String LANGUAGES = "languages.json";

    private MetaClip2Job() {}

    /**
     * Reads a pool for MetaCLIP 2: shards keep each sample's recorded {@code lang}, a parquet
     * table its optional {@code lang} column.
     *
     * @param spark the session
     * @param pool the pool
     * @return its pairs and skips
     */
    public static JavaRDD<SparkWorldwide.Pair> read(SparkSession spark, PoolSpec pool) {
        return pool.isShards() ? SparkWorldwide.shards(spark, pool.shards())
                : SparkWorldwide.parquet(spark, pool.parquet(), pool.partitions());
    }

    /**
     * @param spark the session
     * @param pool the pool
     * @param metadata entries per language ({@code WorldwideMetadata.read} of the folder)
     * @param englishThreshold MetaCLIP 2's {@code t_en}
     * @param seed the coins' seed
     * @param out the output directory (a path or any URI Spark writes to; curated shards need a
     *     local or mounted one)
     * @param writeShards whether to write the curated shards (shard pools only)
     * @return the summary, also written as {@code out/summary.json}
     * @throws IOException if an output cannot be written
     * @throws IllegalArgumentException if no English caption matched the English metadata
     */
    public static MetaClip2Summary run(SparkSession spark, PoolSpec pool,
            Map<String, List<String>> metadata, long englishThreshold, long seed, String out,
            boolean writeShards) throws IOException {
        Checks.checkArgument(!writeShards || pool.isShards(),
                "curated shards can only be written for a shard pool, not for %s",
                pool.description());
        long start = System.nanoTime();
        JavaRDD<SparkWorldwide.Pair> pairs = read(spark, pool);
        try (SparkWorldwide.Run run = SparkWorldwide.curate(pairs, metadata, englishThreshold,
                seed)) {
            double countSeconds = (System.nanoTime() - start) / 1e9;
            // A primitive int[] is what Spark's row encoder takes for an array<int> (not a List).
            JavaRDD<Row> rows = run.outcomes().map(o -> RowFactory.create(o.key(), o.shard(),
                    o.pairId(), o.language(), o.languageSource().label(), o.threshold(),
                    o.entries(), o.kept(), o.keepProbability(), o.keptByEntry(),
                    o.reason().label()));
            spark.createDataFrame(rows, DECISION_SCHEMA).write().mode(SaveMode.ErrorIfExists)
                    .option("parquet.enable.dictionary#entries.list.element", "false")
                    .parquet(out + "/decisions");
            LanguageReport report = run.languageReport();
            if (writeShards) {
                CuratedShards.write(pool.shards(), run.outcomes()
                        .filter(SparkWorldwide.Outcome::kept)
                        .mapToPair(o -> new Tuple2<>(o.shard(), o.key())),
                        Outputs.localPath(spark, out).resolve("shards"));
            }
            long kept = report.languages().stream().mapToLong(LanguageReport.Line::kept).sum();
            Map<String, Integer> entries = new TreeMap<>();
            long matches = 0;
            for (Map.Entry<String, EntryCounts> e : run.counts().entrySet()) {
                entries.put(e.getKey(), e.getValue().numEntries());
                matches += e.getValue().totalMatches();
            }
            Outputs.writeText(spark, out, LANGUAGES, Json.write(report));
            MetaClip2Summary summary = new MetaClip2Summary(1, pool.description(), run.pairs(),
                    kept, run.noMatch(), run.pairs() - kept - run.noMatch(), run.skips(),
                    englishThreshold, run.tailShare(), run.thresholds(), seed, entries, matches,
                    pairs.getNumPartitions(), countSeconds, (System.nanoTime() - start) / 1e9);
            Outputs.writeText(spark, out, "summary.json", Json.write(summary) + "\n");
            return summary;
        }
    }
}
