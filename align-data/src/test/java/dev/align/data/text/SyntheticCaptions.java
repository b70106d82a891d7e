package dev.align.data.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded alt-text-like captions for tests and the benchmark (no data files, no downloads). */
final class SyntheticCaptions {

    private static final String[] ADJ = {"red", "small", "old", "happy", "wooden", "bright",
        "fluffy", "modern", "vintage", "golden", "dark", "tiny", "huge", "striped", "snowy"};
    private static final String[] NOUN = {"cat", "dog", "house", "car", "tree", "bicycle", "woman",
        "man", "child", "mountain", "river", "boat", "cake", "guitar", "kitchen", "street", "bird"};
    private static final String[] PLACE = {"beach", "park", "city", "forest", "table", "road",
        "garden", "lake", "market", "desert"};
    private static final String[] TEMPLATE = {"a photo of a %s %s in the %s",
        "%s %s near the %s, 4k wallpaper", "Close-up of the %s %s at the %s!",
        "the %s %s's view of a %s", "%s %s - stock image (%s)", "we're seeing a %s %s by the %s"};

    private SyntheticCaptions() {}

    /** {@code n} captions from a seed; includes made-up rare words so merges have a long tail. */
    static List<String> generate(int n, long seed) {
        Random rng = new Random(seed);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String t = TEMPLATE[rng.nextInt(TEMPLATE.length)];
            String s = String.format(t, ADJ[rng.nextInt(ADJ.length)], NOUN[rng.nextInt(NOUN.length)],
                    PLACE[rng.nextInt(PLACE.length)]);
            if (rng.nextInt(3) == 0) {
                s += " " + rareWord(rng) + " " + rng.nextInt(2025);
            }
            out.add(s);
        }
        return out;
    }

    private static String rareWord(Random rng) {
        String letters = "abcdefghijklmnopqrstuvwxyz";
        int len = 3 + rng.nextInt(8);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            sb.append(letters.charAt((int) Math.floor(Math.pow(rng.nextDouble(), 2) * 26)));
        }
        return sb.toString();
    }
}
