package dev.align.spark;

import dev.align.core.Checks;
import dev.align.curation.dfn.DfnScorer;
import dev.align.curation.dfn.DfnSelection;
import dev.align.data.shards.Sample;
import dev.align.data.shards.ShardReader;
import dev.align.data.shards.ShardReaderOptions;
import dev.align.data.shards.Skip;
import dev.align.spark.internal.ScorerPool;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;

/**
 * DFN filtering (Fang et al. 2023, "Data Filtering Networks") as a Spark job: every pair of a shard
 * pool is scored by a dual encoder's image-text cosine similarity ({@link DfnScorer}), then the
 * pool is filtered by the top-fraction or threshold rule of {@link DfnSelection}, with the same
 * kept set as the local run.
 *
 * <p><b>Scoring</b> runs one task per shard. Each executor JVM keeps its loaded scorers
 * ({@link ScorerPool}): a model is loaded once per task slot, not once per partition.
 * {@link DfnScorer} embeds in padded batches of a fixed size, so a pair's score does not depend on
 * which pairs share its batch: the Spark scores equal the local ones bit for bit when both use the
 * same batch size and libtorch thread count ({@code -Dai.djl.pytorch.num_threads} on the
 * executors). A pair whose image cannot be decoded gets no score and is dropped as
 * {@code corrupt_image}.
 *
 * <p><b>Top fraction</b>: the scored pairs are sorted by {@link DfnSelection#RANK} (score
 * descending, then key by code point) with a distributed sort, numbered, and the first
 * {@link DfnSelection#keepCount} are kept: exactly {@link DfnSelection#selectTop}'s set.
 * <b>Threshold</b>: {@code score >= threshold}, pair by pair.
 */
public final class SparkDfn {

    /** Batches handed to the scorer at once while a shard streams by. */
    private static final int CHUNK_BATCHES = 4;

    private SparkDfn() {}

    /**
     * Scores every pair of the shards (lazily; persist the result if it is used twice).
     *
     * @param spark the session
     * @param shards shard paths every executor can read
     * @param modelDir the model folder (with {@code tokenizer.json}) as executors see it
     * @param batchSize rows per forward pass; use the local run's to reproduce its scores
     * @return one record per pair or skip
     */
    public static JavaRDD<ScoredRecord> score(SparkSession spark, List<String> shards,
            String modelDir, int batchSize) {
        Checks.checkArgument(batchSize >= 1, "batchSize must be >= 1, got %s", batchSize);
        return Pools.perShard(spark, shards,
                shard -> scoreShard(shard, modelDir, batchSize).iterator());
    }

    /**
     * Scores one shard as {@link #score} does in a task.
     *
     * @param shard the shard
     * @param modelDir the model folder
     * @param batchSize rows per forward pass
     * @return its pairs and skips, in file order
     */
    public static List<ScoredRecord> scoreShard(String shard, String modelDir, int batchSize) {
        ShardReaderOptions options = Pools.oneShard(shard);
        List<ScoredRecord> out = new ArrayList<>();
        DfnScorer scorer = ScorerPool.borrow(modelDir, batchSize);
        try (ShardReader reader = ShardReader.open(options, 0, (Skip skip) ->
                out.add(new ScoredRecord(shard, skip.key(), Float.NaN, skip.reason().key())))) {
            int chunk = CHUNK_BATCHES * batchSize;
            List<String> keys = new ArrayList<>(chunk);
            List<byte[]> images = new ArrayList<>(chunk);
            List<String> captions = new ArrayList<>(chunk);
            while (true) {
                boolean more = reader.hasNext();
                if (more) {
                    Sample s = reader.next();
                    keys.add(s.key());
                    images.add(s.image());
                    captions.add(s.caption());
                }
                if (keys.size() == chunk || (!more && !keys.isEmpty())) {
                    float[] scores = scorer.score(images, captions);
                    for (int i = 0; i < scores.length; i++) {
                        out.add(new ScoredRecord(shard, keys.get(i), scores[i], null));
                    }
                    keys.clear();
                    images.clear();
                    captions.clear();
                }
                if (!more) {
                    break;
                }
            }
        } finally {
            ScorerPool.giveBack(modelDir, scorer);
        }
        return out;
    }

    /**
     * Keeps the best {@code floor(fraction * n)} of the {@code n} scored pairs.
     *
     * @param scored the scores (persist them: this runs three jobs over them)
     * @param fraction share to keep, in {@code [0, 1]}
     * @return one outcome per pair (skips excluded)
     * @throws IllegalArgumentException if a key appears twice among the scored pairs
     */
    public static JavaRDD<DfnOutcome> selectTop(JavaRDD<ScoredRecord> scored, double fraction) {
        JavaRDD<ScoredRecord> finite = scored.filter(r -> r.skip() == null
                && !Float.isNaN(r.score()));
        long n = finite.count();
        long k = DfnSelection.keepCount(n, fraction);
        long distinct = finite.map(ScoredRecord::key).distinct().count();
        Checks.checkArgument(distinct == n, "%s scored pairs but only %s distinct keys; every key "
                + "must be unique in the pool for a top-fraction selection", n, distinct);
        JavaRDD<DfnOutcome> ranked = finite
                .sortBy(r -> new RankKey(r.score(), r.key()), true, finite.getNumPartitions())
                .zipWithIndex()
                .map(t -> {
                    ScoredRecord r = t._1();
                    long rank = t._2();
                    boolean kept = rank < k;
                    return new DfnOutcome(r.shard(), r.key(), r.score(), rank, kept,
                            kept ? "kept" : "below_top");
                });
        return ranked.union(undecodable(scored));
    }

    /**
     * Keeps the pairs whose score reaches {@code threshold}.
     *
     * @param scored the scores
     * @param threshold minimum cosine similarity, finite
     * @return one outcome per pair (skips excluded)
     */
    public static JavaRDD<DfnOutcome> selectAtLeast(JavaRDD<ScoredRecord> scored,
            double threshold) {
        Checks.checkArgument(Double.isFinite(threshold), "threshold must be finite, got %s",
                threshold);
        return scored.filter(r -> r.skip() == null && !Float.isNaN(r.score()))
                .map(r -> {
                    boolean kept = r.score() >= threshold;
                    return new DfnOutcome(r.shard(), r.key(), r.score(), -1, kept,
                            kept ? "kept" : "below_threshold");
                })
                .union(undecodable(scored));
    }

    private static JavaRDD<DfnOutcome> undecodable(JavaRDD<ScoredRecord> scored) {
        return scored.filter(r -> r.skip() == null && Float.isNaN(r.score()))
                .map(r -> new DfnOutcome(r.shard(), r.key(), Float.NaN, -1, false,
                        "corrupt_image"));
    }

    /** {@link DfnSelection#RANK} as a natural order, for Spark's sort. */
    record RankKey(float score, String key) implements Comparable<RankKey>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public int compareTo(RankKey o) {
            int c = Float.compare(o.score, score);
            return c != 0 ? c : DfnSelection.compareKeys(key, o.key);
        }
    }
}
