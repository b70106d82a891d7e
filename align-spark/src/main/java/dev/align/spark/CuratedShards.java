package dev.align.spark;

import dev.align.core.Checks;
import dev.align.core.io.AtomicFiles;
import dev.align.core.io.FileTrees;
import dev.align.core.json.Json;
import dev.align.data.shards.Sample;
import dev.align.data.shards.ShardReader;
import dev.align.data.shards.ShardReaderOptions;
import dev.align.data.shards.ShardWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaPairRDD;
import scala.Tuple2;

/**
 * Writes the kept samples of a curated shard pool as new shards: input shard {@code i} (its index
 * in the listed order) becomes {@code NNNNN.tar} (i zero-padded to five digits) in the output
 * directory, holding its kept samples in their original order, written by {@link ShardWriter}
 * (deterministic bytes; the image, {@code txt} and {@code json} members; other members are
 * dropped). An input shard with no kept sample gives no file. One task per input shard;
 * {@code sizes.json} (file name to sample count) is written last by the driver.
 */
public final class CuratedShards {

    private CuratedShards() {}

    /**
     * @param shards the input shards, in the order that numbers the outputs
     * @param kept (shard, key) of every kept pair
     * @param outDir a local or mounted directory every executor can write to
     * @return samples written per output file name, sorted by name
     * @throws IOException if {@code sizes.json} cannot be written
     */
    public static Map<String, Long> write(List<String> shards, JavaPairRDD<String, String> kept,
            Path outDir) throws IOException {
        Checks.checkArgument(shards.size() <= 100_000, "at most 100,000 shards, got %s",
                shards.size());
        Files.createDirectories(outDir);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < shards.size(); i++) {
            Checks.checkArgument(index.put(shards.get(i), i) == null, "shard %s is listed twice",
                    shards.get(i));
        }
        String out = outDir.toString();
        List<Tuple2<String, Long>> written = kept
                .groupByKey(Math.max(1, shards.size()))
                .map(group -> {
                    Integer i = index.get(group._1());
                    Checks.checkState(i != null, "kept pair from unknown shard %s", group._1());
                    Set<String> keys = new HashSet<>();
                    group._2().forEach(keys::add);
                    String name = String.format("%05d.tar", i);
                    return new Tuple2<>(name, writeOne(group._1(), keys, Path.of(out), name));
                })
                .collect();
        Map<String, Long> sizes = new TreeMap<>();
        for (Tuple2<String, Long> t : written) {
            if (t._2() > 0) {
                sizes.put(t._1(), t._2());
            }
        }
        AtomicFiles.write(outDir.resolve("sizes.json"),
                Json.write(sizes).getBytes(StandardCharsets.UTF_8));
        return sizes;
    }

    /** Copies the samples of {@code shard} whose key is in {@code keys} into {@code out/name}. */
    static long writeOne(String shard, Set<String> keys, Path out, String name) {
        Path tmp = out.resolve(".tmp-" + name);
        ShardReaderOptions options = Pools.oneShard(shard);
        long n = 0;
        try {
            FileTrees.delete(tmp); // left by a failed earlier attempt of this task
            List<Path> written;
            try (ShardWriter writer = new ShardWriter(tmp, Integer.MAX_VALUE);
                 ShardReader reader = ShardReader.open(options, 0)) {
                while (reader.hasNext()) {
                    Sample s = reader.next();
                    if (keys.contains(s.key())) {
                        byte[] json = s.members().get("json");
                        writer.write(s.key(), s.imageExtension(), s.image(), s.caption(),
                                json == null ? null : new String(json, StandardCharsets.UTF_8));
                        n++;
                    }
                }
                writer.close();
                written = writer.shards();
            }
            if (!written.isEmpty()) {
                Files.move(written.get(0), out.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
            FileTrees.delete(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the curated copy of " + shard, e);
        }
        return n;
    }
}
