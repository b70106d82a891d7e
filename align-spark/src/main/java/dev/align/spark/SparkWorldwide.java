package dev.align.spark;

import dev.align.core.Checks;
import dev.align.curation.metaclip.BalanceDecision;
import dev.align.curation.metaclip.EntryCounts;
import dev.align.curation.metaclip.PairIds;
import dev.align.curation.worldwide.LanguageGuess;
import dev.align.curation.worldwide.LanguageReport;
import dev.align.curation.worldwide.ScriptLanguageId;
import dev.align.curation.worldwide.WorldwideBalancer;
import dev.align.curation.worldwide.WorldwideCuration;
import dev.align.curation.worldwide.WorldwideDecision;
import dev.align.curation.worldwide.WorldwideMatcher;
import dev.align.data.shards.Sample;
import dev.align.data.shards.ShardReader;
import dev.align.data.shards.ShardReaderOptions;
import dev.align.data.shards.Skip;
import dev.align.spark.internal.JvmCache;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * MetaCLIP 2 curation as a Spark job, with exactly the decisions of the local
 * {@link WorldwideCuration} over the same pairs with the same seed, whatever the partitioning:
 * (1) every executor JVM builds one {@link WorldwideMatcher} from the broadcast per-language
 * metadata (cached by content) and each partition identifies its captions' languages and matches
 * them (persisted, read twice, released by {@link Run#close()}); (2) per-language entry counts,
 * pairs and skips are summed by a tree reduction; (3) the driver derives the thresholds
 * ({@link WorldwideBalancer}: the English tail share carried to every language) from the summed
 * counts, broadcasts them, and each pair is decided with the hash coins of
 * {@code (seed, PairIds.of(key), entry)}. Counts are sums and coins depend only on the pair, so
 * neither order nor partitioning can change a decision.
 */
public final class SparkWorldwide {

    private static final JvmCache<WorldwideMatcher> MATCHERS = new JvmCache<>();
    private static final JvmCache<WorldwideBalancer> BALANCERS = new JvmCache<>();

    private SparkWorldwide() {}

    /**
     * A pair of a multilingual pool, or the record of a sample that could not be read (then
     * {@code skip} names why, as {@link dev.align.data.shards.SkipReason#key()} does, and the
     * caption is null). Skips travel with the data, so their counts are exact under task retries.
     *
     * @param shard the shard it came from, or null for a table row
     * @param key its key
     * @param caption its caption, or null for a skip
     * @param lang the language its {@code .json} (or its table row) records, or null
     * @param skip why it was skipped, or null for a valid pair
     */
    public record Pair(String shard, String key, String caption, String lang, String skip)
            implements Serializable {
        private static final long serialVersionUID = 2L;

        /**
         * A valid pair.
         *
         * @param shard the shard, or null
         * @param key the key
         * @param caption the caption
         * @param lang the recorded language, or null
         */
        public Pair(String shard, String key, String caption, String lang) {
            this(shard, key, caption, lang, null);
        }

        /**
         * @param shard the shard, or null
         * @param key the key ({@code ""} when none was read)
         * @param reason why it was skipped
         * @return the record of a skipped sample
         */
        public static Pair skipped(String shard, String key, String reason) {
            return new Pair(shard, key, null, null, reason);
        }

        /** @return whether this is a valid pair rather than a skip */
        public boolean isPair() {
            return skip == null;
        }
    }

    /**
     * One pair's decision, as a decisions-file line says it (flat, so that it serialises).
     *
     * @param shard the shard of the pair, or null for a table row
     * @param key the pair's key
     * @param pairId {@code PairIds.of(key)}
     * @param language the language it was curated in, or null
     * @param languageSource how that language was decided
     * @param threshold the language's {@code t} (0: none)
     * @param entries its matched entry ids in its language's list
     * @param kept whether it is kept
     * @param keepProbability MetaCLIP's keep probability under that {@code t}
     * @param keptByEntry the entry whose coin kept it, or -1
     * @param reason {@code kept}, {@code no_match} or {@code sampled_out}
     */
    public record Outcome(String shard, String key, long pairId, String language,
            LanguageGuess.Source languageSource, long threshold, int[] entries, boolean kept,
            double keepProbability, int keptByEntry, BalanceDecision.Reason reason)
            implements Serializable {
        private static final long serialVersionUID = 2L;

        static Outcome of(String shard, String key, WorldwideDecision d, int[] entries) {
            BalanceDecision b = d.decision();
            return new Outcome(shard, key, b.pairId(), d.language(), d.languageSource(),
                    d.threshold(), entries, b.kept(), b.keepProbability(), b.keptByEntry(),
                    b.reason());
        }

        /** @return the decision as the local library gives it */
        public WorldwideDecision decision() {
            return new WorldwideDecision(language, languageSource, threshold, new BalanceDecision(
                    pairId, kept, keepProbability, keptByEntry, reason));
        }

        /** @return the pair's line of {@code languages.json} */
        public LanguageReport.Line line() {
            return LanguageReport.Line.of(decision(), entries.length);
        }
    }

    /**
     * A run ({@link #curate}): the pool's per-language counts, thresholds and tallies, computed
     * eagerly, and the per-pair decisions, computed lazily on each action over
     * {@link #outcomes()}. Holds the persisted matches and broadcasts until closed: close it when
     * done (try-with-resources).
     */
    public static final class Run implements AutoCloseable {
        private final JavaRDD<Outcome> outcomes;
        private final JavaRDD<?> persisted;
        private final List<Broadcast<?>> broadcasts;
        private final WorldwideBalancer balancer;
        private final Map<String, EntryCounts> counts;
        private final long englishThreshold;
        private final long pairs;
        private final long noMatch;
        private final Map<String, Long> skips;

        private Run(JavaRDD<Outcome> outcomes, JavaRDD<?> persisted, List<Broadcast<?>> broadcasts,
                WorldwideBalancer balancer, Map<String, EntryCounts> counts,
                long englishThreshold, Tally tally) {
            this.outcomes = outcomes;
            this.persisted = persisted;
            this.broadcasts = List.copyOf(broadcasts);
            this.balancer = balancer;
            this.counts = counts;
            this.englishThreshold = englishThreshold;
            this.pairs = tally.pairs;
            this.noMatch = tally.noMatch;
            this.skips = new TreeMap<>(tally.skips);
        }

        /** @return one decision per valid pair, in no particular order (lazy) */
        public JavaRDD<Outcome> outcomes() {
            return outcomes;
        }

        /** @return {@code t} per language that matched anything, sorted by code */
        public Map<String, Long> thresholds() {
            return balancer.thresholds();
        }

        /** @return the English tail share every language keeps */
        public double tailShare() {
            return balancer.tailShare();
        }

        /** @return the English threshold {@code t_en} */
        public long englishThreshold() {
            return englishThreshold;
        }

        /** @return the entry counts of each language with metadata, sorted by code */
        public Map<String, EntryCounts> counts() {
            return counts;
        }

        /** @return valid pairs in the pool (skips excluded) */
        public long pairs() {
            return pairs;
        }

        /** @return valid pairs that matched no entry of their language (or had none) */
        public long noMatch() {
            return noMatch;
        }

        /** @return skipped samples by reason ({@link dev.align.data.shards.SkipReason#key()}) */
        public Map<String, Long> skips() {
            return new TreeMap<>(skips);
        }

        /**
         * Sums the per-pair lines per language (one Spark job).
         *
         * @return what the local {@code metaclip2} step writes as {@code languages.json}
         */
        public LanguageReport languageReport() {
            List<LanguageReport.Line> lines = outcomes
                    .mapToPair(o -> {
                        LanguageReport.Line l = o.line();
                        return new Tuple2<>(l.language(), l);
                    })
                    .reduceByKey(LanguageReport.Line::plus)
                    .values().collect();
            return LanguageReport.of(englishThreshold, balancer.tailShare(), lines);
        }

        /** Releases the persisted matches and the broadcasts. */
        @Override
        public void close() {
            release(persisted, broadcasts);
        }
    }

    /**
     * Reads WebDataset shards, one task per shard, keeping each pair's recorded language; samples
     * the local reader skips are skip records here.
     *
     * @param spark the session
     * @param shards shard paths every executor can open
     * @return the pairs and skips
     */
    public static JavaRDD<Pair> shards(SparkSession spark, List<String> shards) {
        return Pools.perShard(spark, shards, shard -> readShard(shard).iterator());
    }

    /**
     * One shard's pairs with their recorded languages, and its skips, in file order.
     *
     * @param shard the shard's path
     * @return its pairs and skips
     */
    public static List<Pair> readShard(String shard) {
        ShardReaderOptions options = Pools.oneShard(shard);
        List<Pair> out = new ArrayList<>();
        // Skips are reported on the consumer thread in stream order, so they interleave correctly.
        try (ShardReader reader = ShardReader.open(options, 0,
                (Skip skip) -> out.add(Pair.skipped(shard, skip.key(), skip.reason().key())))) {
            for (Iterator<Sample> it = reader; it.hasNext(); ) {
                Sample s = it.next();
                out.add(new Pair(shard, s.key(), s.caption(),
                        WorldwideCuration.recordedLanguage(s.members().get("json"))));
            }
        }
        return out;
    }

    /**
     * Reads a parquet table (a file or a directory of parts) with string columns {@code key},
     * {@code caption} and, optionally, {@code lang} (the recorded language; a blank one counts as
     * none). Rows with a null key or caption become skips ({@link Pools#NULL_KEY},
     * {@link Pools#NULL_CAPTION}).
     *
     * @param spark the session
     * @param path the table
     * @param partitions partitions to spread the rows over, or 0 to keep the reader's split
     * @return the pairs and skips
     * @throws IllegalArgumentException if a column is missing or not a string
     */
    public static JavaRDD<Pair> parquet(SparkSession spark, String path, int partitions) {
        Checks.checkArgument(partitions >= 0, "partitions must be >= 0, got %s", partitions);
        return table(spark.read().parquet(path), path, partitions);
    }

    /**
     * As {@link #parquet}, for a table already loaded.
     *
     * @param table rows with string columns {@code key}, {@code caption} and optionally
     *     {@code lang}
     * @param source where the table came from, for messages
     * @param partitions partitions to spread the rows over, or 0 to keep the table's
     * @return the pairs and skips
     */
    public static JavaRDD<Pair> table(Dataset<Row> table, String source, int partitions) {
        StructType schema = table.schema();
        List<String> names = Arrays.asList(schema.fieldNames());
        boolean hasLang = names.contains("lang");
        for (String column : hasLang ? List.of("key", "caption", "lang")
                : List.of("key", "caption")) {
            Checks.checkArgument(names.contains(column), "%s has no column '%s' (it has %s); the "
                    + "pool table needs string columns 'key' and 'caption' (and optionally "
                    + "'lang')", source, column, names);
            Checks.checkArgument(schema.apply(column).dataType().equals(DataTypes.StringType),
                    "column '%s' of %s is %s; it must be a string", column, source,
                    schema.apply(column).dataType().simpleString());
        }
        Dataset<Row> selected = hasLang ? table.select("key", "caption", "lang")
                : table.select("key", "caption");
        if (partitions > 0) {
            selected = selected.repartition(partitions);
        }
        return selected.javaRDD().map(row -> {
            String key = row.getString(0);
            String caption = row.getString(1);
            String lang = row.size() > 2 ? row.getString(2) : null;
            if (key == null) {
                return Pair.skipped(null, "", Pools.NULL_KEY);
            }
            return caption == null ? Pair.skipped(null, key, Pools.NULL_CAPTION)
                    : new Pair(null, key, caption, lang == null || lang.isBlank() ? null : lang);
        });
    }

    /**
     * Identifies, matches and counts the pool (two Spark actions); decisions are lazy.
     *
     * @param pool the pairs and skips
     * @param metadata entries per language
     * @param englishThreshold {@code t_en}, {@code >= 1}
     * @param seed the coins' seed
     * @return the run; close it to release the persisted matches
     * @throws IllegalArgumentException if no English caption matched the English metadata
     */
    public static Run curate(JavaRDD<Pair> pool, Map<String, List<String>> metadata,
            long englishThreshold, long seed) {
        Checks.checkArgument(pool != null && metadata != null && !metadata.isEmpty(),
                "give a pool and per-language metadata");
        Checks.checkArgument(englishThreshold >= 1, "threshold t must be >= 1, got %s",
                englishThreshold);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(pool.context());
        TreeMap<String, List<String>> lists = new TreeMap<>();
        metadata.forEach((lang, entries) -> lists.put(lang, List.copyOf(entries)));
        Map<String, Integer> sizes = new TreeMap<>();
        lists.forEach((lang, entries) -> sizes.put(lang, entries.size()));
        List<Broadcast<?>> broadcasts = new ArrayList<>();
        Broadcast<TreeMap<String, List<String>>> meta = sc.broadcast(lists);
        broadcasts.add(meta);
        String fingerprint = fingerprint(lists);
        JavaRDD<Matched> matched = pool.mapPartitions(it -> {
            WorldwideMatcher matcher = MATCHERS.get(fingerprint,
                    () -> WorldwideMatcher.build(meta.value()));
            ScriptLanguageId lid = new ScriptLanguageId(matcher.languages());
            List<Matched> out = new ArrayList<>();
            while (it.hasNext()) {
                Pair p = it.next();
                if (!p.isPair()) {
                    out.add(new Matched(p.shard(), p.key(), null, LanguageGuess.Source.NONE,
                            null, p.skip()));
                    continue;
                }
                LanguageGuess g = lid.identify(p.caption(), p.lang());
                out.add(new Matched(p.shard(), p.key(), g.language(), g.source(),
                        matcher.match(p.caption(), g.language()), null));
            }
            return out.iterator();
        }).persist(StorageLevel.MEMORY_AND_DISK());
        boolean handedOver = false;
        try {
            Tally tally = matched.treeAggregate(new Tally(sizes), Tally::add, Tally::merge);
            TreeMap<String, long[]> summed = new TreeMap<>();
            Map<String, EntryCounts> counts = new TreeMap<>();
            sizes.forEach((lang, n) -> {
                long[] c = tally.counts.getOrDefault(lang, new long[n]);
                summed.put(lang, c);
                counts.put(lang, EntryCounts.of(c));
            });
            WorldwideBalancer balancer = new WorldwideBalancer(counts, englishThreshold, seed);
            // Executors key their balancer by what decides it, not by the broadcast's id: ids
            // restart with every SparkContext, and a local-mode JVM outlives its contexts.
            List<Object> balancerKey = List.of(countsFingerprint(summed), englishThreshold, seed);
            Broadcast<WorldwideBalancerSpec> spec = sc.broadcast(new WorldwideBalancerSpec(
                    summed, englishThreshold, seed));
            broadcasts.add(spec);
            JavaRDD<Outcome> outcomes = matched.filter(m -> m.skip() == null).map(m -> {
                WorldwideBalancer b = BALANCERS.get(balancerKey, () -> spec.value().balancer());
                return Outcome.of(m.shard(), m.key(), b.decide(PairIds.of(m.key()), m.language(),
                        m.source(), m.entries()), m.entries());
            });
            Run run = new Run(outcomes, matched, broadcasts, balancer,
                    java.util.Collections.unmodifiableMap(counts), englishThreshold, tally);
            handedOver = true;
            return run;
        } finally {
            if (!handedOver) {             // a failed count or a pool without English matches
                release(matched, broadcasts);
            }
        }
    }

    private static void release(JavaRDD<?> persisted, List<Broadcast<?>> broadcasts) {
        persisted.unpersist(false);
        for (Broadcast<?> b : broadcasts) {
            b.destroy();
        }
    }

    private static String fingerprint(TreeMap<String, List<String>> lists) {
        List<String> all = new ArrayList<>();
        lists.forEach((lang, entries) -> {
            all.add("\u0000" + lang);
            all.addAll(entries);
        });
        return "worldwide/" + SparkMetaClip.fingerprint(all);
    }

    private static String countsFingerprint(TreeMap<String, long[]> counts) {
        List<String> all = new ArrayList<>();
        counts.forEach((lang, c) -> all.add(lang + "=" + SparkMetaClip.fingerprint(c)));
        return SparkMetaClip.fingerprint(all);
    }

    /** A pair's language and matches, or a skip. */
    record Matched(String shard, String key, String language, LanguageGuess.Source source,
            int[] entries, String skip) implements Serializable {
        private static final long serialVersionUID = 2L;
    }

    /** Summed counts and settings, from which each executor rebuilds the balancer once. */
    record WorldwideBalancerSpec(TreeMap<String, long[]> counts, long englishThreshold, long seed)
            implements Serializable {
        private static final long serialVersionUID = 2L;

        WorldwideBalancer balancer() {
            Map<String, EntryCounts> c = new TreeMap<>();
            counts.forEach((lang, n) -> c.put(lang, EntryCounts.of(n)));
            return new WorldwideBalancer(c, englishThreshold, seed);
        }
    }

    /** Per-partition sums: entry counts per language, pairs, pairs without match, skips. */
    static final class Tally implements Serializable {
        private static final long serialVersionUID = 2L;
        final Map<String, Integer> sizes;
        final Map<String, long[]> counts = new TreeMap<>();
        final Map<String, Long> skips = new TreeMap<>();
        long pairs;
        long noMatch;

        Tally(Map<String, Integer> sizes) {
            this.sizes = new TreeMap<>(sizes);
        }

        Tally add(Matched m) {
            if (m.skip() != null) {
                skips.merge(m.skip(), 1L, Long::sum);
                return this;
            }
            pairs++;
            if (m.entries().length == 0) {
                noMatch++;
                return this;
            }
            long[] c = counts.computeIfAbsent(m.language(), l -> new long[sizes.get(l)]);
            for (int e : m.entries()) {
                c[e]++;
            }
            return this;
        }

        Tally merge(Tally other) {
            pairs += other.pairs;
            noMatch += other.noMatch;
            other.skips.forEach((k, v) -> skips.merge(k, v, Long::sum));
            other.counts.forEach((lang, c) -> {
                long[] mine = counts.computeIfAbsent(lang, l -> new long[c.length]);
                for (int e = 0; e < c.length; e++) {
                    mine[e] += c[e];
                }
            });
            return this;
        }
    }
}
