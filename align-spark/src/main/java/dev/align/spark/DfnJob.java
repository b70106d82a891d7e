package dev.align.spark;

import dev.align.core.Checks;
import dev.align.core.json.Json;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The whole DFN filtering of a shard pool on Spark ({@link SparkDfn}), from input to files in
 * {@code out}: {@code decisions/} (parquet, {@link #DECISION_SCHEMA}, one row per valid pair),
 * {@code summary.json} ({@link DfnSummary}) and, when asked, {@code shards/}
 * ({@link CuratedShards}).
 */
public final class DfnJob {

    /** Schema of the decisions table. */
    public static final StructType DECISION_SCHEMA = new StructType()
            .add("key", DataTypes.StringType, false)
            .add("shard", DataTypes.StringType, false)
            .add("score", DataTypes.FloatType, false)
            .add("rank", DataTypes.LongType, false)
            .add("kept", DataTypes.BooleanType, false)
            .add("reason", DataTypes.StringType, false);

    private DfnJob() {}

    /**
     * @param spark the session
     * @param shards the pool's shard paths, in order
     * @param description the pool as the user named it
     * @param modelDir the model folder (with {@code tokenizer.json}) as executors see it
     * @param batchSize rows per forward pass
     * @param topFraction share to keep, or {@code null} to use {@code threshold}
     * @param threshold minimum score, or {@code null} to use {@code topFraction}
     * @param out the output directory
     * @param writeShards whether to write the curated shards
     * @return the summary, also written as {@code out/summary.json}
     * @throws IOException if an output cannot be written
     */
    public static DfnSummary run(SparkSession spark, List<String> shards, String description,
            String modelDir, int batchSize, Double topFraction, Double threshold, String out,
            boolean writeShards) throws IOException {
        Checks.checkArgument((topFraction == null) != (threshold == null),
                "give either a top fraction or a threshold, not both or neither");
        long start = System.nanoTime();
        JavaRDD<ScoredRecord> scored = SparkDfn.score(spark, shards, modelDir, batchSize)
                .persist(StorageLevel.MEMORY_AND_DISK());
        JavaRDD<DfnOutcome> outcomes = null;
        try {
            outcomes = (topFraction != null
                    ? SparkDfn.selectTop(scored, topFraction)
                    : SparkDfn.selectAtLeast(scored, threshold))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            JavaRDD<Row> rows = outcomes.map(o -> RowFactory.create(o.key(), o.shard(), o.score(),
                    o.rank(), o.kept(), o.reason()));
            spark.createDataFrame(rows, DECISION_SCHEMA).write().mode(SaveMode.ErrorIfExists)
                    .parquet(out + "/decisions");
            Map<String, Long> reasons = outcomes.map(DfnOutcome::reason).countByValue();
            Map<String, Long> skips = scored.filter(r -> r.skip() != null)
                    .map(ScoredRecord::skip).countByValue();
            JavaRDD<DfnOutcome> kept = outcomes.filter(DfnOutcome::kept);
            long keptCount = kept.count();
            double lowest = keptCount == 0 ? Double.NaN
                    : kept.map(o -> (double) o.score()).min(java.util.Comparator.naturalOrder());
            if (writeShards) {
                CuratedShards.write(shards, kept.mapToPair(o -> new Tuple2<>(o.shard(), o.key())),
                        Outputs.localPath(spark, out).resolve("shards"));
            }
            long pairs = reasons.values().stream().mapToLong(Long::longValue).sum();
            DfnSummary summary = new DfnSummary(1, description, modelDir,
                    topFraction != null ? "top_fraction" : "threshold",
                    topFraction != null ? topFraction : threshold, pairs,
                    pairs - reasons.getOrDefault("corrupt_image", 0L), keptCount, lowest,
                    skips, batchSize, scored.getNumPartitions(),
                    (System.nanoTime() - start) / 1e9);
            Outputs.writeText(spark, out, "summary.json", Json.write(summary) + "\n");
            return summary;
        } finally {                        // also when a write fails: a driver may run more jobs
            if (outcomes != null) {
                outcomes.unpersist(false);
            }
            scored.unpersist(false);
        }
    }
}
