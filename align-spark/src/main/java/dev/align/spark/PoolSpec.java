package dev.align.spark;

import dev.align.core.Checks;
import dev.align.data.shards.ShardPattern;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;

/**
 * Where a job reads its pool: a parquet table of {@code (key, caption)} or WebDataset shards.
 *
 * @param parquet the table's path, or {@code null} for shards
 * @param shards the shard paths, in order (empty for a table)
 * @param partitions for a table, partitions to spread its rows over (0 keeps the reader's split);
 *     shards are always read one task per shard
 * @param description the pool as the user named it, for the summary
 */
public record PoolSpec(String parquet, List<String> shards, int partitions, String description) {

    /** Checks that exactly one source is given. */
    public PoolSpec {
        shards = shards == null ? List.of() : List.copyOf(shards);
        Checks.checkArgument((parquet == null) != shards.isEmpty(),
                "give either a parquet table or shards, not both or neither");
        Checks.checkArgument(partitions >= 0, "partitions must be >= 0, got %s", partitions);
    }

    /** @return a parquet pool */
    public static PoolSpec parquet(String path, int partitions) {
        return new PoolSpec(path, List.of(), partitions, path);
    }

    /** @return a shard pool; {@code pattern} may use brace ranges ({@link ShardPattern}) */
    public static PoolSpec shards(String pattern) {
        return new PoolSpec(null, ShardPattern.expand(pattern), 0, pattern);
    }

    /** @return whether the pool is a list of shards */
    public boolean isShards() {
        return parquet == null;
    }

    /**
     * @param spark the session
     * @return the pool's pairs and skips
     */
    public JavaRDD<PoolRecord> read(SparkSession spark) {
        return isShards() ? Pools.shards(spark, shards) : Pools.parquet(spark, parquet, partitions);
    }
}
