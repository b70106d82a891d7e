package dev.align.experiments.pool;

import dev.align.core.Checks;
import dev.align.experiments.internal.SeedStreams;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.imageio.ImageIO;

/**
 * Builds the experiment's pool from real pairs, with defects whose truth is known. Every choice is
 * drawn from a stream derived from the seed and its purpose, so the same items, settings and seed
 * give the same pool, byte for byte.
 *
 * <ol>
 *   <li><b>Clean set.</b> Per source, a share of its concepts (all their pairs) is held out of the
 *       pool: the small high-quality set a DFN filter network is trained on, disjoint from the
 *       pool.
 *   <li><b>Long tail.</b> {@code headConcepts} of the pool's concepts, drawn among the head
 *       candidates (concepts the evaluation set has, so head and tail accuracy can be told
 *       apart), are repeated until they make {@code headShare} of the pool: each added pair is a
 *       {@link Jitter jittered} copy of one of the concept's drawings (round robin) with a
 *       reworded caption. Near-duplicates, not byte copies.
 *   <li><b>Order.</b> The pairs are shuffled; their keys ({@code 000000000}, ...) follow that
 *       order, so shards written in key order hold the pool in a seeded random order.
 *   <li><b>Defects.</b> A random {@code mismatch} share of the pairs takes the original caption of
 *       another pair of another concept; a further random {@code junk} share gets alt-text junk,
 *       the four {@link Defect#JUNK} kinds in turn. Near-duplicates are as likely as any pair to
 *       get a defect.
 * </ol>
 */
public final class NoiseInjector {

    private static final long CLEAN = 1;
    private static final long HEAD = 2;
    private static final long COPY = 3;
    private static final long ORDER = 4;
    private static final long DEFECTS = 5;
    private static final long CAPTION = 6;

    private NoiseInjector() {}

    /**
     * The pool and its truth.
     *
     * @param manifest one entry per pair, in key order
     * @param images each pair's PNG, in key order
     * @param cleanSet the held-out pairs, in input order
     * @param summary counts
     */
    public record Result(List<ManifestEntry> manifest, List<byte[]> images, List<PoolItem> cleanSet,
            PoolSummary summary) {}

    /**
     * Builds the pool.
     *
     * @param items the real pairs of every source
     * @param headCandidates concepts that may become head concepts
     * @param heldOut per source kind, the share of its concepts held out for the clean set
     * @param noise what to inject
     * @param seed fixes every choice
     * @throws IllegalArgumentException if there are no items, all pairs share one concept (no
     *     mismatch is possible), or a held-out share is outside [0, 1)
     */
    public static Result build(List<PoolItem> items, Set<String> headCandidates,
            Map<String, Double> heldOut, NoiseConfig noise, long seed) {
        Checks.checkArgument(!items.isEmpty(), "no pairs to build a pool from");
        // 1. The clean set: a share of each source's concepts, held out.
        Map<String, TreeSet<String>> conceptsBySource = new TreeMap<>();
        for (PoolItem it : items) {
            conceptsBySource.computeIfAbsent(it.source(), k -> new TreeSet<>()).add(it.concept());
        }
        Set<String> cleanConcepts = new HashSet<>();
        Map<String, Integer> heldOutCount = new TreeMap<>();
        for (Map.Entry<String, Double> h : new TreeMap<>(heldOut).entrySet()) {
            double share = h.getValue();
            Checks.checkArgument(share >= 0 && share < 1, "held-out share of %s must be in "
                    + "[0, 1), got %s", h.getKey(), share);
            List<String> concepts = new ArrayList<>(conceptsBySource.getOrDefault(h.getKey(),
                    new TreeSet<>()));
            int n = (int) Math.round(share * concepts.size());
            int[] order = SeedStreams.permutation(concepts.size(),
                    SeedStreams.random(seed, CLEAN, h.getKey().hashCode()));
            for (int i = 0; i < n; i++) {
                cleanConcepts.add(concepts.get(order[i]));
            }
            heldOutCount.put(h.getKey(), n);
        }
        List<PoolItem> clean = new ArrayList<>();
        List<PoolItem> base = new ArrayList<>();
        for (PoolItem it : items) {
            (cleanConcepts.contains(it.concept()) ? clean : base).add(it);
        }
        Checks.checkArgument(!base.isEmpty(), "every pair was held out for the clean set");

        // 2. The long tail: head concepts and their near-duplicates.
        Map<String, List<Integer>> byConcept = new TreeMap<>();
        for (int i = 0; i < base.size(); i++) {
            byConcept.computeIfAbsent(base.get(i).concept(), k -> new ArrayList<>()).add(i);
        }
        List<String> candidates = new ArrayList<>();
        for (String c : byConcept.keySet()) {
            if (headCandidates.contains(c)) {
                candidates.add(c);
            }
        }
        int wantHead = noise.headShare() == 0 ? 0
                : Math.max(1, (int) Math.round(noise.headConcepts() * byConcept.size()));
        int nHead = Math.min(wantHead, candidates.size());
        int[] headOrder = SeedStreams.permutation(candidates.size(), SeedStreams.random(seed, HEAD));
        List<String> head = new ArrayList<>();
        for (int i = 0; i < nHead; i++) {
            head.add(candidates.get(headOrder[i]));
        }
        Collections.sort(head);
        Set<String> headSet = new HashSet<>(head);
        long headBase = base.stream().filter(it -> headSet.contains(it.concept())).count();
        long otherBase = base.size() - headBase;
        double h = noise.headShare();
        int copies = nHead == 0 ? 0 : (int) Math.max(0, Math.round((h * otherBase - (1 - h)
                * headBase) / (1 - h)));

        // Pairs before keys: base items (no copy), then copies.
        List<Draft> drafts = new ArrayList<>(base.size() + copies);
        for (int i = 0; i < base.size(); i++) {
            PoolItem it = base.get(i);
            drafts.add(new Draft(it, it.png(), it.caption(), -1, null));
        }
        for (int j = 0; j < copies; j++) {
            String concept = head.get(j % nHead);
            List<Integer> originals = byConcept.get(concept);
            int original = originals.get((j / nHead) % originals.size());
            PoolItem it = base.get(original);
            SplittableRandom r = SeedStreams.random(seed, COPY, j);
            Jitter jitter = Jitter.random(r, noise.jitterShift(), noise.jitterScale(),
                    noise.jitterBrightness());
            drafts.add(new Draft(it, png(jitter.apply(decode(it.png()))), reworded(it, r),
                    original, jitter));
        }

        // 3. Keys in a seeded random order.
        int n = drafts.size();
        int[] order = SeedStreams.permutation(n, SeedStreams.random(seed, ORDER));
        int[] keyOfDraft = new int[n];
        for (int k = 0; k < n; k++) {
            keyOfDraft[order[k]] = k;
        }

        // 4. Defects on a random share of the keys.
        Defect[] defect = new Defect[n];
        java.util.Arrays.fill(defect, Defect.NONE);
        int[] defectOrder = SeedStreams.permutation(n, SeedStreams.random(seed, DEFECTS));
        int nMismatch = (int) Math.round(noise.mismatch() * n);
        int nJunk = (int) Math.round(noise.junk() * n);
        for (int i = 0; i < nMismatch + nJunk && i < n; i++) {
            defect[defectOrder[i]] = i < nMismatch ? Defect.MISMATCH
                    : Defect.JUNK.get((i - nMismatch) % Defect.JUNK.size());
        }
        List<ManifestEntry> manifest = new ArrayList<>(n);
        List<byte[]> images = new ArrayList<>(n);
        Map<String, Integer> byDefect = new TreeMap<>();
        Map<String, Integer> bySource = new TreeMap<>();
        for (int k = 0; k < n; k++) {
            Draft d = drafts.get(order[k]);
            SplittableRandom r = SeedStreams.random(seed, CAPTION, k);
            String caption = d.caption();
            String from = null;
            if (defect[k] == Defect.MISMATCH) {
                int donor = donor(drafts, order, k, r);
                from = key(donor);
                caption = drafts.get(order[donor]).caption();
            } else if (defect[k].injected()) {
                caption = JunkCaptions.generate(defect[k], d.caption(), r);
            }
            String nearDuplicateOf = d.original() < 0 ? null : key(keyOfDraft[d.original()]);
            manifest.add(new ManifestEntry(key(k), d.item().source(), d.item().sourceKey(),
                    d.item().concept(), headSet.contains(d.item().concept()), nearDuplicateOf,
                    d.jitter(), defect[k], caption, d.caption(), from));
            images.add(d.png());
            byDefect.merge(defect[k].label(), 1, Integer::sum);
            bySource.merge(d.item().source(), 1, Integer::sum);
        }
        Map<String, Integer> cleanBySource = new TreeMap<>();
        clean.forEach(it -> cleanBySource.merge(it.source(), 1, Integer::sum));
        PoolSummary summary = new PoolSummary(seed, n, byConcept.size(), bySource, byDefect, head,
                (int) headBase + copies, copies, heldOutCount, clean.size(), cleanBySource);
        return new Result(List.copyOf(manifest), List.copyOf(images), List.copyOf(clean),
                summary);
    }

    /** The key of pool position {@code k}. */
    public static String key(int k) {
        return String.format(Locale.ROOT, "%09d", k);
    }

    /** A pair before it has a key. {@code original} is the base index a copy was made from. */
    private record Draft(PoolItem item, byte[] png, String caption, int original, Jitter jitter) {}

    /** A random pool position whose concept differs from position {@code k}'s. */
    private static int donor(List<Draft> drafts, int[] order, int k, SplittableRandom r) {
        String concept = drafts.get(order[k]).item().concept();
        for (int attempt = 0; attempt < 10_000; attempt++) {
            int j = r.nextInt(order.length);
            if (!drafts.get(order[j]).item().concept().equals(concept)) {
                return j;
            }
        }
        Checks.checkArgument(false, "cannot mismatch captions: (nearly) every pair of the pool "
                + "shows %s", concept);
        return -1;
    }

    /**
     * A reworded caption for a near-duplicate, as the same drawing reposted elsewhere would be
     * described: the label alone, "a picture of" the label, or the original caption; the first
     * two followed by up to two of the tags the label does not already contain.
     */
    static String reworded(PoolItem it, SplittableRandom r) {
        int form = r.nextInt(3);
        if (form == 2) {
            return it.caption();
        }
        String head = form == 0 ? it.label() : "a picture of " + it.label();
        Set<String> labelWords = new HashSet<>(List.of(it.label().toLowerCase(Locale.ROOT)
                .split("[^\\p{L}\\p{N}]+")));
        Set<String> distinct = new LinkedHashSet<>();
        it.tags().forEach(t -> distinct.add(t.strip()));
        List<String> fresh = new ArrayList<>();
        for (String t : distinct) {
            if (!t.isEmpty() && !labelWords.contains(t.toLowerCase(Locale.ROOT))) {
                fresh.add(t);
            }
        }
        int k = Math.min(fresh.size(), r.nextInt(3));
        StringBuilder sb = new StringBuilder(head);
        for (int i = 0; i < k; i++) {
            int j = i + r.nextInt(fresh.size() - i);
            Collections.swap(fresh, i, j);
            sb.append(", ").append(fresh.get(i));
        }
        return sb.toString();
    }

    static BufferedImage decode(byte[] png) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            Checks.checkArgument(img != null, "a pool image is not a readable PNG");
            if (img.getType() == BufferedImage.TYPE_INT_RGB) {
                return img;
            }
            BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(),
                    BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = rgb.createGraphics();
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.drawImage(img, 0, 0, null);
            g.dispose();
            return rgb;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
