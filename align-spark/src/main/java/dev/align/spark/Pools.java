package dev.align.spark;

import dev.align.core.Checks;
import dev.align.data.image.ImageDecoder;
import dev.align.data.shards.Sample;
import dev.align.data.shards.ShardReader;
import dev.align.data.shards.ShardReaderOptions;
import dev.align.data.shards.Skip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a pool of image-text pairs into Spark: a parquet table of {@code (key, caption)} or a list
 * of WebDataset shards, one shard per task.
 */
public final class Pools {

    /** Skip label of a table row whose key is null. */
    public static final String NULL_KEY = "null_key";
    /** Skip label of a table row whose caption is null. */
    public static final String NULL_CAPTION = "null_caption";

    private Pools() {}

    /**
     * Reads a parquet table (a file or a directory of parts) with string columns {@code key} and
     * {@code caption}; other columns are ignored. Rows with a null key or caption become skips
     * ({@link #NULL_KEY}, {@link #NULL_CAPTION}).
     *
     * @param spark the session
     * @param path the table
     * @param partitions partitions to spread the rows over, or 0 to keep the reader's split
     * @return the pool
     * @throws IllegalArgumentException if a column is missing or not a string
     */
    public static JavaRDD<PoolRecord> parquet(SparkSession spark, String path, int partitions) {
        Checks.checkArgument(partitions >= 0, "partitions must be >= 0, got %s", partitions);
        return table(spark.read().parquet(path), path, partitions);
    }

    /**
     * As {@link #parquet}, for a table already loaded.
     *
     * @param table rows with string columns {@code key} and {@code caption}
     * @param source where the table came from, for messages
     * @param partitions partitions to spread the rows over, or 0 to keep the table's
     * @return the pool
     */
    public static JavaRDD<PoolRecord> table(Dataset<Row> table, String source, int partitions) {
        StructType schema = table.schema();
        for (String column : List.of("key", "caption")) {
            Checks.checkArgument(Arrays.asList(schema.fieldNames()).contains(column),
                    "%s has no column '%s' (it has %s); the pool table needs string columns "
                            + "'key' and 'caption'", source, column,
                    Arrays.toString(schema.fieldNames()));
            StructField field = schema.apply(column);
            Checks.checkArgument(field.dataType().equals(DataTypes.StringType),
                    "column '%s' of %s is %s; it must be a string", column, source,
                    field.dataType().simpleString());
        }
        Dataset<Row> selected = table.select("key", "caption");
        if (partitions > 0) {
            selected = selected.repartition(partitions);
        }
        return selected.javaRDD().map(row -> {
            String key = row.getString(0);
            String caption = row.getString(1);
            if (key == null) {
                return new PoolRecord(null, "", null, NULL_KEY);
            }
            return caption == null ? new PoolRecord(null, key, null, NULL_CAPTION)
                    : PoolRecord.pair(null, key, caption);
        });
    }

    /**
     * Reads WebDataset shards, one task per shard, each with align-data's {@link ShardReader} (in
     * file order, one thread, no shuffle): the same samples and the same skips as a local read.
     *
     * @param spark the session
     * @param shards shard paths every executor can open (a shared file system)
     * @return the pool; skipped samples as skip records
     */
    public static JavaRDD<PoolRecord> shards(SparkSession spark, List<String> shards) {
        return perShard(spark, shards, shard -> readShard(shard).iterator());
    }

    /**
     * One task per shard, as every job here reads shards.
     *
     * @param read a shard's path to its records
     * @throws IllegalArgumentException if {@code shards} is null or empty
     */
    static <T> JavaRDD<T> perShard(SparkSession spark, List<String> shards,
            FlatMapFunction<String, T> read) {
        Checks.checkArgument(shards != null && !shards.isEmpty(), "the shard list is empty");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return sc.parallelize(List.copyOf(shards), shards.size()).flatMap(read);
    }

    /**
     * How a task reads its shard: in file order, one thread, no shuffle, the local reader's
     * limits; so a job sees the same samples and the same skips as a local read.
     */
    static ShardReaderOptions oneShard(String shard) {
        return new ShardReaderOptions(List.of(shard), 0, false, 0, 1,
                ImageDecoder.DEFAULT_MAX_PIXELS, ShardReaderOptions.DEFAULT_MAX_MEMBER_BYTES);
    }

    /**
     * Reads one shard as {@link #shards} does on an executor.
     *
     * @param shard the shard's path
     * @return its pairs and skips, in file order
     */
    public static List<PoolRecord> readShard(String shard) {
        ShardReaderOptions options = oneShard(shard);
        List<PoolRecord> out = new ArrayList<>();
        // Skips are reported on the consumer thread in stream order, so they interleave correctly.
        try (ShardReader reader = ShardReader.open(options, 0,
                (Skip skip) -> out.add(new PoolRecord(shard, skip.key(), null,
                        skip.reason().key())))) {
            for (Iterator<Sample> it = reader; it.hasNext(); ) {
                Sample sample = it.next();
                out.add(PoolRecord.pair(shard, sample.key(), sample.caption()));
            }
        }
        return out;
    }
}
