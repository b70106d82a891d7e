package dev.align.spark;

import dev.align.core.Checks;
import dev.align.curation.metaclip.BalanceDecision;
import dev.align.curation.metaclip.EntryCounts;
import dev.align.curation.metaclip.PairIds;
import dev.align.curation.worldwide.LanguageGuess;
import dev.align.curation.worldwide.ScriptLanguageId;
import dev.align.curation.worldwide.WorldwideBalancer;
import dev.align.curation.worldwide.WorldwideCuration;
import dev.align.curation.worldwide.WorldwideDecision;
import dev.align.curation.worldwide.WorldwideMatcher;
import dev.align.data.shards.Sample;
import dev.align.data.shards.ShardReader;
import dev.align.data.shards.ShardReaderOptions;
import dev.align.spark.internal.JvmCache;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * MetaCLIP 2 curation as a Spark job, with exactly the decisions of the local
 * {@link WorldwideCuration} over the same pairs with the same seed, whatever the partitioning:
 * (1) every executor JVM builds one {@link WorldwideMatcher} from the broadcast per-language
 * metadata (cached by content) and each partition identifies its captions' languages and matches
 * them (persisted, read twice); (2) per-language entry counts are summed by a tree reduction;
 * (3) the driver derives the thresholds ({@link WorldwideBalancer}: the English tail share carried
 * to every language) from the summed counts, broadcasts them, and each pair is decided with the
 * hash coins of {@code (seed, PairIds.of(key), entry)}. Counts are sums and coins depend only on
 * the pair, so neither order nor partitioning can change a decision.
 */
public final class SparkWorldwide {

    private static final JvmCache<WorldwideMatcher> MATCHERS = new JvmCache<>();
    private static final JvmCache<WorldwideBalancer> BALANCERS = new JvmCache<>();

    private SparkWorldwide() {}

    /**
     * A pair of a multilingual pool.
     *
     * @param shard the shard it came from
     * @param key its key
     * @param caption its caption
     * @param lang the language its {@code .json} records, or null
     */
    public record Pair(String shard, String key, String caption, String lang)
            implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * One pair's decision, as a decisions-file line says it (flat, so that it serialises).
     *
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
    public record Outcome(String key, long pairId, String language,
            LanguageGuess.Source languageSource, long threshold, int[] entries, boolean kept,
            double keepProbability, int keptByEntry, BalanceDecision.Reason reason)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        static Outcome of(String key, WorldwideDecision d, int[] entries) {
            BalanceDecision b = d.decision();
            return new Outcome(key, b.pairId(), d.language(), d.languageSource(), d.threshold(),
                    entries, b.kept(), b.keepProbability(), b.keptByEntry(), b.reason());
        }

        /** @return the decision as the local library gives it */
        public WorldwideDecision decision() {
            return new WorldwideDecision(language, languageSource, threshold, new BalanceDecision(
                    pairId, kept, keepProbability, keptByEntry, reason));
        }
    }

    /**
     * The result of a run.
     *
     * @param outcomes one per pair (lazy: computed when collected or written)
     * @param thresholds {@code t} per language that matched anything
     * @param tailShare the English tail share every language keeps
     */
    public record Run(JavaRDD<Outcome> outcomes, Map<String, Long> thresholds, double tailShare) {}

    /**
     * Reads WebDataset shards, one task per shard, keeping each pair's recorded language; samples
     * the local reader skips are skipped here too.
     *
     * @param spark the session
     * @param shards shard paths every executor can open
     * @return the pairs
     */
    public static JavaRDD<Pair> shards(SparkSession spark, List<String> shards) {
        return Pools.perShard(spark, shards, shard -> readShard(shard).iterator());
    }

    /**
     * One shard's pairs with their recorded languages, in file order.
     *
     * @param shard the shard's path
     * @return its pairs
     */
    public static List<Pair> readShard(String shard) {
        ShardReaderOptions options = Pools.oneShard(shard);
        List<Pair> out = new ArrayList<>();
        try (ShardReader reader = ShardReader.open(options, 0)) {
            for (Iterator<Sample> it = reader; it.hasNext(); ) {
                Sample s = it.next();
                out.add(new Pair(shard, s.key(), s.caption(),
                        WorldwideCuration.recordedLanguage(s.members().get("json"))));
            }
        }
        return out;
    }

    /**
     * Identifies, matches and counts the pool (two Spark actions); decisions are lazy.
     *
     * @param pool the pairs
     * @param metadata entries per language
     * @param englishThreshold {@code t_en}
     * @param seed the coins' seed
     * @return the run
     */
    public static Run curate(JavaRDD<Pair> pool, Map<String, List<String>> metadata,
            long englishThreshold, long seed) {
        Checks.checkArgument(pool != null && metadata != null && !metadata.isEmpty(),
                "give a pool and per-language metadata");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(pool.context());
        TreeMap<String, List<String>> lists = new TreeMap<>();
        metadata.forEach((lang, entries) -> lists.put(lang, List.copyOf(entries)));
        Broadcast<TreeMap<String, List<String>>> meta = sc.broadcast(lists);
        String fingerprint = fingerprint(lists);
        JavaRDD<Matched> matched = pool.mapPartitions(it -> {
            WorldwideMatcher matcher = MATCHERS.get(fingerprint,
                    () -> WorldwideMatcher.build(meta.value()));
            ScriptLanguageId lid = new ScriptLanguageId(matcher.languages());
            List<Matched> out = new ArrayList<>();
            while (it.hasNext()) {
                Pair p = it.next();
                LanguageGuess g = lid.identify(p.caption(), p.lang());
                out.add(new Matched(p.key(), g.language(), g.source(),
                        matcher.match(p.caption(), g.language())));
            }
            return out.iterator();
        }).persist(StorageLevel.MEMORY_AND_DISK());
        Map<String, Integer> sizes = new TreeMap<>();
        lists.forEach((lang, entries) -> sizes.put(lang, entries.size()));
        Tally tally = matched.treeAggregate(new Tally(sizes), Tally::add, Tally::merge);
        Map<String, EntryCounts> counts = new TreeMap<>();
        sizes.forEach((lang, n) -> counts.put(lang, EntryCounts.of(
                tally.counts.getOrDefault(lang, new long[n]))));
        WorldwideBalancer balancer = new WorldwideBalancer(counts, englishThreshold, seed);
        Broadcast<WorldwideBalancerSpec> spec = sc.broadcast(new WorldwideBalancerSpec(
                new TreeMap<>(tally.counts), sizes, englishThreshold, seed));
        JavaRDD<Outcome> outcomes = matched.map(m -> {
            WorldwideBalancer b = BALANCERS.get(List.of(spec.id(), englishThreshold, seed),
                    () -> spec.value().balancer());
            return Outcome.of(m.key(), b.decide(PairIds.of(m.key()), m.language(), m.source(),
                    m.entries()), m.entries());
        });
        return new Run(outcomes, balancer.thresholds(), balancer.tailShare());
    }

    private static String fingerprint(TreeMap<String, List<String>> lists) {
        List<String> all = new ArrayList<>();
        lists.forEach((lang, entries) -> {
            all.add("\u0000" + lang);
            all.addAll(entries);
        });
        return "worldwide/" + SparkMetaClip.fingerprint(all);
    }

    /** A pair's language and matches. */
    record Matched(String key, String language, LanguageGuess.Source source, int[] entries)
            implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** Summed counts and settings, from which each executor rebuilds the balancer once. */
    record WorldwideBalancerSpec(TreeMap<String, long[]> counts, Map<String, Integer> sizes,
            long englishThreshold, long seed) implements Serializable {
        private static final long serialVersionUID = 1L;

        WorldwideBalancer balancer() {
            Map<String, EntryCounts> c = new TreeMap<>();
            sizes.forEach((lang, n) -> c.put(lang, EntryCounts.of(
                    counts.getOrDefault(lang, new long[n]))));
            return new WorldwideBalancer(c, englishThreshold, seed);
        }
    }

    /** Per-partition entry counts per language. */
    static final class Tally implements Serializable {
        private static final long serialVersionUID = 1L;
        final Map<String, Integer> sizes;
        final Map<String, long[]> counts = new TreeMap<>();

        Tally(Map<String, Integer> sizes) {
            this.sizes = new TreeMap<>(sizes);
        }

        Tally add(Matched m) {
            if (m.entries().length > 0) {
                long[] c = counts.computeIfAbsent(m.language(), l -> new long[sizes.get(l)]);
                for (int e : m.entries()) {
                    c[e]++;
                }
            }
            return this;
        }

        Tally merge(Tally other) {
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
