package dev.align.data.imports;

import static dev.align.core.Checks.checkArgument;

import dev.align.data.image.ImageTransform;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/** Helpers the importers share: source layout checks, resizing, caption tags. */
final class Sources {

    private Sources() {}

    /**
     * {@code source/relative}, which must exist.
     *
     * @throws IllegalArgumentException naming the missing file and the command that fetches it
     */
    static Path require(Path source, String kind, String relative) {
        checkArgument(source != null, "no source folder given for %s", kind);
        Path p = source.resolve(relative);
        checkArgument(Files.exists(p), "the %s source %s has no %s: fetch it with "
                + "'tools/fetch/fetch %s' (./align data import %s without --source fetches it "
                + "into the cache by itself)", kind, source, relative, kind, kind);
        return p;
    }

    /** The image scaled so its longer side is at most {@code maxSide} (never enlarged). */
    static BufferedImage fit(BufferedImage rgb, int maxSide) {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        if (Math.max(w, h) <= maxSide) {
            return rgb;
        }
        double scale = (double) maxSide / Math.max(w, h);
        return ImageTransform.resize(rgb, Math.max(1, (int) Math.round(w * scale)),
                Math.max(1, (int) Math.round(h * scale)));
    }

    /**
     * Up to {@code max} of {@code tags} in a random order, leaving out blank ones and those whose
     * words all occur in {@code label} already (so "red apple" does not get the tag "apple").
     */
    static List<String> someTags(List<String> tags, String label, int max,
            SplittableRandom random) {
        Set<String> labelWords = new HashSet<>(List.of(
                label.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")));
        List<String> fresh = new ArrayList<>();
        for (String t : new LinkedHashSet<>(tags)) {
            String tag = t.strip();
            if (tag.isEmpty()) {
                continue;
            }
            boolean redundant = true;
            for (String word : tag.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
                redundant &= word.isEmpty() || labelWords.contains(word);
            }
            if (!redundant) {
                fresh.add(tag);
            }
        }
        // Partial Fisher-Yates: the first k of a seeded permutation.
        int k = Math.min(max, fresh.size());
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(fresh.size() - i);
            String tmp = fresh.get(i);
            fresh.set(i, fresh.get(j));
            fresh.set(j, tmp);
        }
        return List.copyOf(fresh.subList(0, k));
    }

    /** {@code label}, then the tags after a comma each: "fox face, animal, nature". */
    static String withTags(String label, List<String> tags) {
        return tags.isEmpty() ? label : label + ", " + String.join(", ", tags);
    }

    /** {@code %s} templates as {@code {}} templates ("a photo of a %s." to "a photo of a {}."). */
    static List<String> braces(List<String> templates) {
        return templates.stream().map(t -> t.replace("%s", "{}")).toList();
    }
}
