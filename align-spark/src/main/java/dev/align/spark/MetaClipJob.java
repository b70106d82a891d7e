package dev.align.spark;

import dev.align.core.Checks;
import dev.align.core.json.Json;
import dev.align.curation.metaclip.Metadata;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * The whole MetaCLIP curation of a pool on Spark, from input to files: {@link SparkMetaClip}, then
 * in {@code out}: {@code decisions/} (parquet, {@link MetaClipRun#DECISION_SCHEMA}, one row per
 * valid pair), {@code summary.json} ({@link MetaClipSummary}) and, for a shard pool when asked,
 * {@code shards/} ({@link CuratedShards}).
 */
public final class MetaClipJob {

    private MetaClipJob() {}

    /**
     * Reads a metadata list as the local pipeline does ({@link Metadata#read}): one entry per line
     * (UTF-8), or MetaCLIP's {@code metadata.json} (a JSON array of strings); entry id = position.
     *
     * @param file the list
     * @return the entries
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException if it is missing, empty or has an empty entry
     */
    public static List<String> readMetadata(Path file) throws IOException {
        List<String> entries = Metadata.read(file);
        Checks.checkArgument(!entries.isEmpty(), "metadata file %s has no entry", file);
        return entries;
    }

    /**
     * @param spark the session
     * @param pool the pool
     * @param metadata the metadata entries
     * @param threshold MetaCLIP's {@code t}
     * @param seed the coins' seed
     * @param out the output directory (a path or any URI Spark writes to; curated shards need a
     *     local or mounted one)
     * @param writeShards whether to write the curated shards (shard pools only)
     * @return the summary, also written as {@code out/summary.json}
     * @throws IOException if an output cannot be written
     */
    public static MetaClipSummary run(SparkSession spark, PoolSpec pool, List<String> metadata,
            long threshold, long seed, String out, boolean writeShards) throws IOException {
        Checks.checkArgument(!writeShards || pool.isShards(),
                "curated shards can only be written for a shard pool, not for %s",
                pool.description());
        long start = System.nanoTime();
        JavaRDD<PoolRecord> records = pool.read(spark);
        try (MetaClipRun run = SparkMetaClip.curate(records, metadata, threshold, seed)) {
            double countSeconds = (System.nanoTime() - start) / 1e9;
            run.decisions(spark).write().mode(SaveMode.ErrorIfExists)
                    // entry ids are near-unique per row group: a dictionary only costs time
                    .option("parquet.enable.dictionary#entries.list.element", "false")
                    .parquet(out + "/decisions");
            Map<String, Long> reasons = run.outcomes().map(MetaClipOutcome::reason)
                    .countByValue();
            if (writeShards) {
                CuratedShards.write(pool.shards(), run.outcomes().filter(MetaClipOutcome::kept)
                        .mapToPair(o -> new Tuple2<>(o.shard(), o.key())),
                        Outputs.localPath(spark, out).resolve("shards"));
            }
            MetaClipSummary summary = new MetaClipSummary(1, pool.description(), run.pairs(),
                    reasons.getOrDefault("kept", 0L), run.noMatch(),
                    reasons.getOrDefault("sampled_out", 0L), run.skips(), threshold, seed,
                    metadata.size(), run.counts().totalMatches(), records.getNumPartitions(),
                    countSeconds, (System.nanoTime() - start) / 1e9);
            Outputs.writeText(spark, out, "summary.json", Json.write(summary) + "\n");
            return summary;
        }
    }
}
