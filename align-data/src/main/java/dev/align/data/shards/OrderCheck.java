package dev.align.data.shards;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Accumulates an {@link OrderReport} in one pass over samples in their stored order, in bounded
 * memory: the previous sample's fields and words, value counts of at most {@value #MAX_FIELDS}
 * fields (a field with more than {@value #MAX_VALUES} distinct values is an identity, not a
 * group, and is dropped), and a reservoir of {@value ShardInspector#CAPTION_SAMPLE} captions.
 */
final class OrderCheck {

    static final int MAX_FIELDS = 32;
    static final int MAX_VALUES = 100_000;
    /** Pairs needed before anything is called correlated. */
    static final long MIN_PAIRS = 50;
    /** A field is flagged when neighbours share it this often and this many times more often
     * than random pairs. */
    static final double FIELD_MIN = 0.05;
    static final double FIELD_RATIO = 4;
    /** Captions are flagged when neighbours overlap this much more than random pairs. */
    static final double CAPTION_MARGIN = 0.10;
    static final double CAPTION_RATIO = 2;

    private final Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
    private final Set<String> dropped = new HashSet<>();
    private final Map<String, long[]> pairs = new HashMap<>(); // field -> [compared, equal]
    private final List<Set<String>> reservoir = new ArrayList<>();
    private final Random random = new Random(0);
    private Map<String, String> previousFields;
    private Set<String> previousWords;
    private long samples;
    private long neighbourPairs;
    private double overlapSum;

    /** Takes the next sample of the stored order. */
    void accept(Sample sample) {
        Map<String, String> fields = fields(sample);
        Set<String> words = words(sample.caption());
        for (Map.Entry<String, String> f : fields.entrySet()) {
            String name = f.getKey();
            if (dropped.contains(name)) {
                continue;
            }
            Map<String, Long> values = counts.get(name);
            if (values == null) {
                if (counts.size() >= MAX_FIELDS) {
                    continue;
                }
                values = new HashMap<>();
                counts.put(name, values);
            }
            values.merge(f.getValue(), 1L, Long::sum);
            if (values.size() > MAX_VALUES) {
                dropped.add(name);
                counts.remove(name);
                pairs.remove(name);
                continue;
            }
            if (previousFields != null && previousFields.containsKey(name)) {
                long[] p = pairs.computeIfAbsent(name, k -> new long[2]);
                p[0]++;
                p[1] += previousFields.get(name).equals(f.getValue()) ? 1 : 0;
            }
        }
        if (previousWords != null) {
            neighbourPairs++;
            overlapSum += jaccard(previousWords, words);
        }
        samples++;                                               // Algorithm R
        if (reservoir.size() < ShardInspector.CAPTION_SAMPLE) {
            reservoir.add(words);
        } else {
            long j = (long) (random.nextDouble() * samples);
            if (j < ShardInspector.CAPTION_SAMPLE) {
                reservoir.set((int) j, words);
            }
        }
        previousFields = fields;
        previousWords = words;
    }

    /** The report over everything accepted so far. */
    OrderReport report() {
        List<OrderReport.FieldRepeats> fields = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> names = new ArrayList<>(counts.keySet());
        names.sort(null);
        for (String name : names) {
            Map<String, Long> values = counts.get(name);
            long n = 0;
            double same = 0;
            for (long c : values.values()) {
                n += c;
                same += (double) c * (c - 1);
            }
            if (n < 2 || values.size() == n) {
                continue;                                         // no value repeats
            }
            double random = same / ((double) n * (n - 1));
            long[] p = pairs.getOrDefault(name, new long[2]);
            double neighbours = p[0] == 0 ? 0 : p[1] / (double) p[0];
            fields.add(new OrderReport.FieldRepeats(name, n, values.size(), neighbours, random));
            if (p[0] >= MIN_PAIRS && neighbours >= FIELD_MIN
                    && neighbours >= FIELD_RATIO * random) {
                warnings.add(String.format(Locale.ROOT, "%s of neighbouring samples share "
                        + "their '%s' (a random order gives %s)", percent(neighbours), name,
                        percent(random)));
            }
        }
        double overlap = neighbourPairs == 0 ? 0 : overlapSum / neighbourPairs;
        double randomOverlap = randomOverlap();
        if (neighbourPairs >= MIN_PAIRS && overlap >= randomOverlap + CAPTION_MARGIN
                && overlap >= CAPTION_RATIO * randomOverlap) {
            warnings.add(String.format(Locale.ROOT, "neighbouring captions share %.0f%% of "
                    + "their words on average (random pairs: %.0f%%)", 100 * overlap,
                    100 * randomOverlap));
        }
        if (!warnings.isEmpty()) {
            warnings.add(String.format(Locale.ROOT, "consecutive samples are strongly "
                    + "correlated: a shuffle buffer shorter than these runs fills every batch "
                    + "with near-duplicates, false negatives that starve contrastive training. "
                    + "Write the shards in a random order (./align data import does; import "
                    + "again), or at least train with data.shuffleBuffer >= %d (the samples "
                    + "here) so that one buffer spans the whole set", samples));
        }
        return new OrderReport(neighbourPairs, fields, overlap, randomOverlap, warnings);
    }

    /** {@code 12.3%}, or two significant digits below 1% ({@code 0.013%}). */
    private static String percent(double fraction) {
        double p = 100 * fraction;
        return (p >= 1 || p == 0 ? String.format(Locale.ROOT, "%.1f", p)
                : String.format(Locale.ROOT, "%.2g", p)) + "%";
    }

    /** Mean overlap of consecutive captions of the reservoir, shuffled (seeded). */
    private double randomOverlap() {
        List<Set<String>> shuffled = new ArrayList<>(reservoir);
        java.util.Collections.shuffle(shuffled, new Random(1));
        double sum = 0;
        for (int i = 1; i < shuffled.size(); i++) {
            sum += jaccard(shuffled.get(i - 1), shuffled.get(i));
        }
        return shuffled.size() < 2 ? 0 : sum / (shuffled.size() - 1);
    }

    /** Top-level scalar fields of the sample's {@code .json}, as text; none if unparsable. */
    private static Map<String, String> fields(Sample sample) {
        byte[] json = sample.members().get("json");
        Map<String, String> out = new HashMap<>();
        if (json == null) {
            return out;
        }
        try {
            JsonNode root = Json.mapper().readTree(new String(json, StandardCharsets.UTF_8));
            if (root == null || !root.isObject()) {
                return out;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getValue().isValueNode() && !f.getValue().isNull()) {
                    out.put(f.getKey(), f.getValue().asText());
                }
            }
        } catch (IOException e) {
            // metadata is optional: a sample with bad JSON simply has no fields
        }
        return out;
    }

    static Set<String> words(String caption) {
        Set<String> out = new HashSet<>();
        for (String w : caption.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    static double jaccard(Set<String> a, Set<String> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return 1;
        }
        int common = 0;
        for (String w : a) {
            common += b.contains(w) ? 1 : 0;
        }
        return common / (double) (a.size() + b.size() - common);
    }
}
