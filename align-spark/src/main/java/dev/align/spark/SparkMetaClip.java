package dev.align.spark;

import dev.align.core.Checks;
import dev.align.curation.metaclip.EntryCounts;
import dev.align.curation.metaclip.MetaClipBalancer;
import dev.align.curation.metaclip.MetadataMatcher;
import dev.align.curation.metaclip.PairIds;
import dev.align.spark.internal.JvmCache;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * MetaCLIP curation (match, count, balance) as a Spark job, with exactly the decisions of the
 * local {@link MetadataMatcher} + {@link EntryCounts} + {@link MetaClipBalancer} run over the same
 * pairs with the same seed, whatever the partitioning.
 *
 * <p>The job: (1) the metadata list is broadcast and every executor JVM builds one
 * {@link MetadataMatcher} from it, on first use (cached by the list's SHA-256, so
 * later jobs over the same list reuse it); each partition matches its captions (the matched
 * pairs are persisted, memory then disk, since they are read twice). (2) Entry counts are summed
 * over the whole pool by a tree reduction of per-partition dense count arrays. (3) The counts are
 * broadcast, each JVM builds one {@link MetaClipBalancer} from them, and each pair is decided with
 * the balancer's hash coins of {@code (seed, PairIds.of(key), entry)}. Counts are sums and the
 * coins depend only on the pair, so neither the order of pairs nor the number of partitions or
 * executors can change a decision.
 */
public final class SparkMetaClip {

    private static final int MATCH_BLOCK = 1024;
    private static final JvmCache<MetadataMatcher> MATCHERS = new JvmCache<>();
    private static final JvmCache<MetaClipBalancer> BALANCERS = new JvmCache<>();

    private SparkMetaClip() {}

    /**
     * Matches and counts the pool (two Spark actions run here); the decisions are computed lazily
     * from the returned run.
     *
     * @param pool the pool's pairs and skips ({@link Pools})
     * @param metadata the metadata entries; an entry's id is its index
     * @param threshold MetaCLIP's {@code t}, {@code >= 1}
     * @param seed the coins' seed
     * @return the run; close it to release the persisted matches
     */
    public static MetaClipRun curate(JavaRDD<PoolRecord> pool, List<String> metadata,
            long threshold, long seed) {
        Checks.checkArgument(pool != null, "pool must not be null");
        Checks.checkArgument(metadata != null && !metadata.isEmpty(),
                "the metadata list is empty; give at least one entry");
        Checks.checkArgument(threshold >= 1, "threshold t must be >= 1, got %s", threshold);
        int numEntries = metadata.size();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(pool.context());
        Broadcast<String[]> entries = sc.broadcast(metadata.toArray(new String[0]));
        String fingerprint = fingerprint(metadata);

        JavaRDD<Matched> matched = pool.mapPartitions(it -> match(entries, fingerprint, it))
                .persist(StorageLevel.MEMORY_AND_DISK());
        Tally tally = null;
        try {
            tally = matched.treeAggregate(new Tally(numEntries), Tally::add, Tally::merge);
        } finally {
            if (tally == null) {        // a failed job (a SparkException, undeclared): the run
                matched.unpersist(false);   // that would release the matches is never made
                entries.destroy();
            }
        }
        long[] counts = tally.counts == null ? new long[numEntries] : tally.counts;

        Broadcast<long[]> countsBroadcast = sc.broadcast(counts);
        // Executors key their balancer by the counts themselves, not by the broadcast's id: ids
        // restart with every SparkContext, and a local-mode JVM outlives its contexts.
        List<Object> balancerKey = List.of(fingerprint(counts), threshold, seed);
        JavaRDD<MetaClipOutcome> outcomes = matched.mapPartitions(it -> {
            MetaClipBalancer balancer = BALANCERS.get(balancerKey,
                    () -> new MetaClipBalancer(EntryCounts.of(countsBroadcast.value()),
                            threshold, seed));
            return new DecideIterator(it, balancer);
        });
        return new MetaClipRun(outcomes, matched, List.of(entries, countsBroadcast),
                EntryCounts.of(counts), tally.pairs, tally.noMatch, tally.skips, threshold, seed);
    }

    /** SHA-256 of entry counts, as the key of the balancer executors build from them. */
    static String fingerprint(long[] counts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer buffer = ByteBuffer.allocate(8 * 1024);
            for (long c : counts) {
                if (!buffer.hasRemaining()) {
                    sha.update(buffer.array(), 0, buffer.position());
                    buffer.clear();
                }
                buffer.putLong(c);
            }
            sha.update(buffer.array(), 0, buffer.position());
            return "counts/" + HexFormat.of().formatHex(sha.digest()) + "/" + counts.length;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * SHA-256 of the entries (each as UTF-8 followed by a newline): executors key their cached
     * matcher by content, so later jobs over the same list in the same JVM reuse it.
     */
    static String fingerprint(List<String> metadata) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String e : metadata) {
                sha.update(e.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return HexFormat.of().formatHex(sha.digest()) + "/" + metadata.size();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static Iterator<Matched> match(Broadcast<String[]> entries, String fingerprint,
            Iterator<PoolRecord> it) {
        MetadataMatcher matcher = MATCHERS.get(fingerprint,
                () -> MetadataMatcher.build(List.of(entries.value())));
        // Captions are matched in blocks through matchAll, which reuses its scratch buffers.
        return new Iterator<>() {
            private final List<PoolRecord> block = new ArrayList<>(MATCH_BLOCK);
            private final List<String> captions = new ArrayList<>(MATCH_BLOCK);
            private List<int[]> matches = List.of();
            private int pos;
            private int captionPos;

            @Override
            public boolean hasNext() {
                if (pos < block.size()) {
                    return true;
                }
                block.clear();
                captions.clear();
                pos = 0;
                while (block.size() < MATCH_BLOCK && it.hasNext()) {
                    PoolRecord r = it.next();
                    block.add(r);
                    if (r.isPair()) {
                        captions.add(r.caption());
                    }
                }
                matches = matcher.matchAll(captions, 1);
                captionPos = 0;
                return !block.isEmpty();
            }

            @Override
            public Matched next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                PoolRecord r = block.get(pos++);
                return r.isPair() ? new Matched(r.shard(), r.key(), matches.get(captionPos++), null)
                        : new Matched(r.shard(), r.key(), null, r.skip());
            }
        };
    }

    /** A pair with its matches, or a skip. */
    record Matched(String shard, String key, int[] entries, String skip) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** Decides the pairs of a partition; skips are dropped (they are counted in the tally). */
    private static final class DecideIterator implements Iterator<MetaClipOutcome> {
        private final Iterator<Matched> in;
        private final MetaClipBalancer balancer;
        private Matched next;

        DecideIterator(Iterator<Matched> in, MetaClipBalancer balancer) {
            this.in = in;
            this.balancer = balancer;
        }

        @Override
        public boolean hasNext() {
            while (next == null && in.hasNext()) {
                Matched m = in.next();
                if (m.skip() == null) {
                    next = m;
                }
            }
            return next != null;
        }

        @Override
        public MetaClipOutcome next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            Matched m = next;
            next = null;
            return MetaClipOutcome.of(m.shard(), m.key(), m.entries(),
                    balancer.decide(PairIds.of(m.key()), m.entries()));
        }
    }

    /** Per-partition sums: entry counts (allocated on first match), pairs, skips by reason. */
    static final class Tally implements Serializable {
        private static final long serialVersionUID = 1L;
        final int numEntries;
        long[] counts;
        long pairs;
        long noMatch;
        final Map<String, Long> skips = new TreeMap<>();

        Tally(int numEntries) {
            this.numEntries = numEntries;
        }

        Tally add(Matched m) {
            if (m.skip() != null) {
                skips.merge(m.skip(), 1L, Long::sum);
                return this;
            }
            pairs++;
            if (m.entries().length == 0) {
                noMatch++;
            }
            for (int e : m.entries()) {
                if (counts == null) {
                    counts = new long[numEntries];
                }
                counts[e]++;
            }
            return this;
        }

        Tally merge(Tally other) {
            pairs += other.pairs;
            noMatch += other.noMatch;
            other.skips.forEach((k, v) -> skips.merge(k, v, Long::sum));
            if (counts == null) {
                counts = other.counts;
            } else if (other.counts != null) {
                for (int e = 0; e < counts.length; e++) {
                    counts[e] += other.counts[e];
                }
            }
            return this;
        }
    }
}
