package dev.align.experiments.pool;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Procedural pool items for tests: each concept a distinct shape and colour. */
public final class Items {

    private Items() {}

    /**
     * A 32x32 drawing: for an emoji-like concept (below 1000) a disc of the concept's colour and
     * size at a concept-dependent place with a small square in another colour (the variant, its
     * second artist, draws it a little lighter and lower); for an icon (1000 and up) a black
     * bar of icon-dependent size and place.
     */
    public static byte[] drawing(int concept, int variant) {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 32, 32);
        if (concept < 1000) {
            int r = 5 + concept % 5;
            g.setColor(Color.getHSBColor((concept * 0.381966f) % 1f, 0.9f, 0.7f + 0.15f * variant));
            g.fillOval(6 + (concept * 7) % 14 - r / 2, 6 + (concept * 5) % 14 - r / 2 + variant,
                    2 * r, 2 * r);
            g.setColor(Color.getHSBColor((concept * 0.7f) % 1f, 1f, 0.5f));
            g.fillRect(concept % 2 == 0 ? 2 : 24, (concept / 2) % 2 == 0 ? 2 : 24, 6, 6);
        } else {
            int i = concept - 1000;
            g.setColor(Color.BLACK);
            g.fillRect(2 + (i * 3) % 20, 2 + (i * 7) % 20, 4 + i % 8, 10 - i % 8);
        }
        g.dispose();
        return NoiseInjector.png(img);
    }

    /**
     * {@code emojiConcepts} emoji-like concepts with two drawings each (source {@code emoji}),
     * plus {@code icons} single-drawing concepts (source {@code mdi}).
     */
    public static List<PoolItem> items(int emojiConcepts, int icons) {
        List<PoolItem> out = new ArrayList<>();
        for (int c = 0; c < emojiConcepts; c++) {
            String label = "thing " + c;
            for (int v = 0; v < 2; v++) {
                out.add(new PoolItem("emoji", (v == 0 ? "google/" : "twitter/") + c,
                        concept(c), label + (v == 0 ? "" : ", tag" + c % 7), drawing(c, v),
                        label, List.of("tag" + c % 7, "group" + c % 3)));
            }
        }
        for (int i = 0; i < icons; i++) {
            int c = 1000 + i;
            out.add(new PoolItem("mdi", "icon-" + i, "mdi:icon-" + i, "icon number " + i,
                    drawing(c, 0), "icon number " + i, List.of()));
        }
        return out;
    }

    /** The concept id of emoji-like concept {@code c}. */
    public static String concept(int c) {
        return String.format(Locale.ROOT, "emoji:E%03X", c);
    }
}
