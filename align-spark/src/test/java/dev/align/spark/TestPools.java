package dev.align.spark;

import dev.align.curation.metaclip.BalanceDecision;
import dev.align.curation.metaclip.EntryCounts;
import dev.align.curation.metaclip.MetaClipBalancer;
import dev.align.curation.metaclip.MetadataMatcher;
import dev.align.curation.metaclip.PairIds;
import dev.align.data.shards.ShardWriter;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;

/** A synthetic caption pool, its metadata, shards of it, and the local MetaCLIP reference run. */
final class TestPools {

    private TestPools() {}

    /** One shared local[2] session per test class (Spark starts in seconds). */
    static SparkSession session(String name) {
        return SparkSession.builder()
                .master("local[2]")
                .appName(name)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }

    static List<String> vocabulary(int size) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            words.add(i % 7 == 3 ? "Word" + i : "w" + i);
        }
        return words;
    }

    /** Unigrams, some bigrams, a duplicate, and entries MetaCLIP's spacing can never match. */
    static List<String> metadata(List<String> vocabulary) {
        List<String> entries = new ArrayList<>(vocabulary.subList(0, vocabulary.size() * 3 / 4));
        for (int i = 0; i + 1 < 40; i += 2) {
            entries.add(vocabulary.get(i) + " " + vocabulary.get(i + 1));
        }
        entries.add(vocabulary.get(0));          // a duplicate: both ids are reported
        entries.add(vocabulary.get(1) + ",");    // wrapped punctuation inside: never matches
        entries.add("word3");                    // case-sensitive: "Word3" does not match it
        return entries;
    }

    /** Zipf-like captions with punctuation, tabs and a few with no metadata word at all. */
    static Map<String, String> captions(int n, List<String> vocabulary, long seed) {
        Random rnd = new Random(seed);
        Map<String, String> pool = new LinkedHashMap<>();
        String[] punct = {",", ".", ";", "!", "?", "`", "\t"};
        for (int i = 0; i < n; i++) {
            int len = 2 + rnd.nextInt(10);
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < len; k++) {
                if (k > 0) {
                    sb.append(' ');
                }
                if (i % 50 == 0) {
                    sb.append("zz").append(rnd.nextInt(1000)); // no entry
                } else {
                    // rank ~ 1/u: the head words are very common
                    int rank = (int) Math.min(vocabulary.size() - 1,
                            Math.floor(1.0 / (rnd.nextDouble() + 1e-3)) - 1 + rnd.nextInt(3));
                    sb.append(vocabulary.get(Math.max(0, rank * (1 + rnd.nextInt(4))
                            % vocabulary.size())));
                }
                if (rnd.nextInt(8) == 0) {
                    sb.append(punct[rnd.nextInt(punct.length)]);
                }
            }
            pool.put(String.format("s%06d%s", i, i % 97 == 0 ? "-é" : ""), sb.toString());
        }
        return pool;
    }

    /** The local run: match, count and balance with align-curation directly. */
    static Map<String, BalanceDecision> localMetaClip(Map<String, String> pool,
            List<String> metadata, long threshold, long seed) {
        List<String> keys = new ArrayList<>(pool.keySet());
        List<String> captions = new ArrayList<>(pool.values());
        MetadataMatcher matcher = MetadataMatcher.build(metadata);
        List<int[]> matches = matcher.matchAll(captions, 2);
        EntryCounts counts = EntryCounts.count(metadata.size(), matches);
        long[] ids = new long[keys.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = PairIds.of(keys.get(i));
        }
        List<BalanceDecision> decisions = new MetaClipBalancer(counts, threshold, seed)
                .decideAll(ids, matches, 2);
        Map<String, BalanceDecision> byKey = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            byKey.put(keys.get(i), decisions.get(i));
        }
        return byKey;
    }

    static byte[] tinyPng(int rgb) {
        BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, rgb);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the pool as shards of {@code perShard} samples; returns the shard paths. */
    static List<String> writeShards(Map<String, String> pool, Path dir, int perShard)
            throws IOException {
        byte[] png = tinyPng(0x336699);
        List<String> shards = new ArrayList<>();
        try (ShardWriter writer = new ShardWriter(dir, perShard)) {
            for (Map.Entry<String, String> e : pool.entrySet()) {
                writer.write(e.getKey(), "png", png, e.getValue(), null);
            }
            writer.close();
            for (Path p : writer.shards()) {
                shards.add(p.toString());
            }
        }
        return shards;
    }

    /** Words of each test language; Korean has no metadata. */
    private static final Map<String, String[]> WORDS = Map.of(
            "en", new String[] {"red", "apple", "dog", "face", "heart", "cat", "star", "moon"},
            "de", new String[] {"roter", "Apfel", "Hund", "Gesicht", "Herz", "Katze", "Stern"},
            "ja", new String[] {"赤い", "リンゴ", "犬", "顔", "猫", "星", "月"},
            "th", new String[] {"แอปเปิ้ล", "แดง", "สุนัข", "หน้า", "แมว", "ดาว"},
            "ko", new String[] {"빨간", "사과", "개", "얼굴"});

    /**
     * Per-language metadata over {@link #multilingual}'s words: most words, a bigram, and an
     * entry nothing matches.
     */
    static Map<String, List<String>> worldwideMetadata() {
        return Map.of(
                "en", List.of("red", "apple", "dog", "face", "heart", "cat", "star", "red apple",
                        "unicorn"),
                "de", List.of("roter", "Apfel", "Hund", "Gesicht", "Herz", "roter Apfel"),
                "ja", List.of("リンゴ", "犬", "顔", "赤い", "猫"),
                "th", List.of("แอปเปิ้ล", "สุนัข", "หน้า", "แมว"));
    }

    /**
     * A Zipf-like multilingual pool: key to {caption, recorded lang or null, .json text or null}.
     * Every eleventh pair records no language, some Japanese captions are recorded as English
     * (their script overrides it), some German ones as English (Latin: the record decides), and
     * a few samples carry a corrupt or language-free {@code .json}.
     */
    static Map<String, String[]> multilingual(int n, long seed) {
        Random rnd = new Random(seed);
        String[] languages = {"en", "en", "en", "en", "de", "de", "ja", "ja", "th", "ko"};
        Map<String, String[]> pool = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String lang = languages[rnd.nextInt(languages.length)];
            String[] words = WORDS.get(lang);
            int len = 1 + rnd.nextInt(4);
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < len; k++) {
                if (k > 0 && !lang.equals("ja") && !lang.equals("th")) {
                    sb.append(' ');
                }
                int rank = (int) Math.max(0, Math.min(words.length - 1,
                        Math.floor(1.0 / (rnd.nextDouble() + 0.08)) - 1));
                sb.append(words[rank]);
            }
            String recorded = i % 11 == 0 ? null
                    : lang.equals("ja") && i % 5 == 0 ? "en"
                    : lang.equals("de") && i % 13 == 0 ? "en" : lang;
            String json = recorded == null ? (i % 3 == 0 ? null : i % 3 == 1 ? "{\"index\":" + i
                    + "}" : "{not json") : "{\"lang\":\"" + recorded + "\",\"index\":" + i + "}";
            pool.put(String.format("m%06d", i), new String[] {sb.toString(), recorded, json});
        }
        return pool;
    }

    /**
     * Writes a {@link #multilingual} pool as shards of {@code perShard} samples, with two samples
     * the reader skips (an empty caption, a corrupt image) after the first ones.
     */
    static List<String> writeMultilingualShards(Map<String, String[]> pool, Path dir,
            int perShard) throws IOException {
        byte[] png = tinyPng(0x993366);
        List<String> shards = new ArrayList<>();
        try (ShardWriter writer = new ShardWriter(dir, perShard)) {
            int i = 0;
            for (Map.Entry<String, String[]> e : pool.entrySet()) {
                writer.write(e.getKey(), "png", png, e.getValue()[0], e.getValue()[2]);
                if (i++ == 3) {
                    writer.write("skip-empty", "png", png, " ", "{\"lang\":\"en\"}");
                    writer.write("skip-corrupt", "png", new byte[] {1, 2, 3}, "red dog", null);
                }
            }
            writer.close();
            for (Path p : writer.shards()) {
                shards.add(p.toString());
            }
        }
        return shards;
    }
}
