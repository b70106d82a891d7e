package dev.align.experiments.pool;

import dev.align.core.Checks;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * A light, seeded change to an image that makes a near-duplicate rather than a byte copy: scaled
 * about its centre by {@code scale}, shifted by {@code (dx, dy)} pixels over a white background,
 * every channel multiplied by {@code brightness}.
 *
 * @param dx horizontal shift in pixels
 * @param dy vertical shift in pixels
 * @param scale zoom factor, {@code (0, 1]}
 * @param brightness channel multiplier, {@code > 0}
 */
public record Jitter(int dx, int dy, double scale, double brightness) {

    /** Checks ranges. */
    public Jitter {
        Checks.checkArgument(scale > 0 && scale <= 1, "jitter scale must be in (0, 1], got %s",
                scale);
        Checks.checkArgument(brightness > 0, "jitter brightness must be > 0, got %s", brightness);
    }

    /**
     * A random jitter: shifts uniform in {@code [-maxShift, maxShift]}, scale uniform in
     * {@code [1 - maxScale, 1]}, brightness uniform in {@code [1 - maxBrightness, 1 +
     * maxBrightness]}; never the identity (a zero draw is shifted by one pixel), so the image
     * always changes.
     */
    public static Jitter random(SplittableRandom random, int maxShift, double maxScale,
            double maxBrightness) {
        int dx = maxShift == 0 ? 0 : random.nextInt(-maxShift, maxShift + 1);
        int dy = maxShift == 0 ? 0 : random.nextInt(-maxShift, maxShift + 1);
        double scale = 1 - maxScale * random.nextDouble();
        double brightness = 1 + maxBrightness * (2 * random.nextDouble() - 1);
        scale = Math.round(scale * 1000) / 1000.0;
        brightness = Math.round(brightness * 1000) / 1000.0;
        if (dx == 0 && dy == 0) {
            dx = 1;                                    // an identity draw would be a byte copy
        }
        return new Jitter(dx, dy, scale, brightness);
    }

    /** The jittered copy of an opaque RGB image (same size, white where nothing is drawn). */
    public BufferedImage apply(BufferedImage rgb) {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
                    RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            AffineTransform t = new AffineTransform();
            t.translate(w / 2.0 + dx, h / 2.0 + dy);
            t.scale(scale, scale);
            t.translate(-w / 2.0, -h / 2.0);
            g.drawImage(rgb, t, null);
        } finally {
            g.dispose();
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = out.getRGB(x, y);
                int r = channel((p >> 16) & 0xFF);
                int gr = channel((p >> 8) & 0xFF);
                int b = channel(p & 0xFF);
                out.setRGB(x, y, (r << 16) | (gr << 8) | b);
            }
        }
        return out;
    }

    private int channel(int v) {
        return Math.max(0, Math.min(255, (int) Math.round(v * brightness)));
    }
}
