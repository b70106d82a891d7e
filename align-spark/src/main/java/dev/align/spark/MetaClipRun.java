package dev.align.spark;

import dev.align.curation.metaclip.EntryCounts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A MetaCLIP run on Spark ({@link SparkMetaClip#curate}): the pool's entry counts and tallies,
 * computed eagerly, and the per-pair decisions, computed lazily on each action over
 * {@link #outcomes()}. Holds persisted matches and broadcasts until closed.
 */
public final class MetaClipRun implements AutoCloseable {

    /** Schema of {@link #decisions}: one row per valid pair. */
    public static final StructType DECISION_SCHEMA = new StructType()
            .add("key", DataTypes.StringType, false)
            .add("shard", DataTypes.StringType, true)
            .add("pair_id", DataTypes.LongType, false)
            .add("entries", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
            .add("kept", DataTypes.BooleanType, false)
            .add("keep_probability", DataTypes.DoubleType, false)
            .add("kept_by_entry", DataTypes.IntegerType, false)
            .add("reason", DataTypes.StringType, false);

    private final JavaRDD<MetaClipOutcome> outcomes;
    private final JavaRDD<?> persisted;
    private final List<Broadcast<?>> broadcasts;
    private final EntryCounts counts;
    private final long pairs;
    private final long noMatch;
    private final Map<String, Long> skips;
    private final long threshold;
    private final long seed;

    MetaClipRun(JavaRDD<MetaClipOutcome> outcomes, JavaRDD<?> persisted,
            List<Broadcast<?>> broadcasts, EntryCounts counts, long pairs, long noMatch,
            Map<String, Long> skips, long threshold, long seed) {
        this.outcomes = outcomes;
        this.persisted = persisted;
        this.broadcasts = new ArrayList<>(broadcasts);
        this.counts = counts;
        this.pairs = pairs;
        this.noMatch = noMatch;
        this.skips = new TreeMap<>(skips);
        this.threshold = threshold;
        this.seed = seed;
    }

    /** @return one decision per valid pair, in no particular order */
    public JavaRDD<MetaClipOutcome> outcomes() {
        return outcomes;
    }

    /** @return the entry counts over the whole pool */
    public EntryCounts counts() {
        return counts;
    }

    /** @return valid pairs in the pool (skips excluded) */
    public long pairs() {
        return pairs;
    }

    /** @return valid pairs whose caption matched no entry */
    public long noMatch() {
        return noMatch;
    }

    /** @return skipped samples by reason ({@link dev.align.data.shards.SkipReason#key()} labels) */
    public Map<String, Long> skips() {
        return new TreeMap<>(skips);
    }

    /** @return MetaCLIP's {@code t} */
    public long threshold() {
        return threshold;
    }

    /** @return the coins' seed */
    public long seed() {
        return seed;
    }

    /**
     * @param spark the session
     * @return the decisions as a table with {@link #DECISION_SCHEMA}
     */
    public Dataset<Row> decisions(SparkSession spark) {
        // A primitive int[] is what Spark's row encoder takes for an array<int> (not a List).
        JavaRDD<Row> rows = outcomes.map(o -> RowFactory.create(o.key(), o.shard(), o.pairId(),
                o.entries(), o.kept(), o.keepProbability(), o.keptByEntry(), o.reason()));
        return spark.createDataFrame(rows, DECISION_SCHEMA);
    }

    /** Releases the persisted matches and the broadcasts. */
    @Override
    public void close() {
        persisted.unpersist(false);
        for (Broadcast<?> b : broadcasts) {
            b.destroy();
        }
    }
}
