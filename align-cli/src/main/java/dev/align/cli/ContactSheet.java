package dev.align.cli;

import dev.align.core.io.AtomicFiles;
import dev.align.data.image.ImageDecodeException;
import dev.align.data.image.ImageDecoder;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A PNG grid of search results: one row per query, its text on the left, then the matches as
 * thumbnails (small images scaled up without smoothing, so 32-pixel training images stay
 * legible) with a short label under each.
 */
final class ContactSheet {

    /** One thumbnail: the encoded image and its label. */
    record Cell(byte[] image, String label) {}

    /** One query and its matches, best first. */
    record Row(String title, List<Cell> cells) {}

    private static final int THUMB = 112;
    private static final int TITLE_WIDTH = 240;
    private static final int LABEL_LINES = 2;
    private static final int PAD = 8;
    private static final ImageDecoder DECODER = new ImageDecoder();

    private ContactSheet() {}

    /** Draws {@code rows} into the PNG {@code file}, written atomically. */
    static void write(List<Row> rows, Path file) throws IOException {
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 13);
        int columns = rows.stream().mapToInt(r -> r.cells().size()).max().orElse(1);
        int lineHeight = 14;
        int rowHeight = PAD + THUMB + LABEL_LINES * lineHeight + PAD;
        int width = TITLE_WIDTH + columns * (THUMB + PAD) + PAD;
        int height = Math.max(1, rows.size()) * rowHeight;
        BufferedImage sheet = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
                    RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            for (int r = 0; r < rows.size(); r++) {
                int y0 = r * rowHeight;
                if (r > 0) {
                    g.setColor(new Color(220, 220, 220));
                    g.drawLine(0, y0, width, y0);
                }
                g.setColor(Color.BLACK);
                g.setFont(titleFont);
                drawWrapped(g, "\u201c" + rows.get(r).title() + "\u201d", PAD, y0 + PAD + 14,
                        TITLE_WIDTH - 2 * PAD, 6);
                g.setFont(font);
                List<Cell> cells = rows.get(r).cells();
                for (int c = 0; c < cells.size(); c++) {
                    int x = TITLE_WIDTH + c * (THUMB + PAD);
                    drawThumbnail(g, cells.get(c).image(), x, y0 + PAD);
                    g.setColor(Color.DARK_GRAY);
                    drawWrapped(g, cells.get(c).label(), x, y0 + PAD + THUMB + 12, THUMB,
                            LABEL_LINES);
                }
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(sheet, "png", png);
        AtomicFiles.write(file, png.toByteArray());
    }

    private static void drawThumbnail(Graphics2D g, byte[] encoded, int x, int y) {
        BufferedImage image;
        try {
            image = DECODER.decodeSubsampled(encoded, 4 * THUMB);
        } catch (ImageDecodeException | RuntimeException e) {
            g.setColor(Color.LIGHT_GRAY);
            g.fillRect(x, y, THUMB, THUMB);
            return;
        }
        double scale = Math.min((double) THUMB / image.getWidth(), (double) THUMB / image.getHeight());
        int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, scale >= 1
                ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR
                : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, x + (THUMB - w) / 2, y + (THUMB - h) / 2, w, h, null);
    }

    /** Draws {@code text} word-wrapped to {@code width}, at most {@code maxLines} lines. */
    private static void drawWrapped(Graphics2D g, String text, int x, int y, int width,
            int maxLines) {
        FontMetrics fm = g.getFontMetrics();
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split("\\s+")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (fm.stringWidth(candidate) <= width || line.isEmpty()) {
                line.setLength(0);
                line.append(candidate);
            } else {
                lines.add(line.toString());
                line.setLength(0);
                line.append(word);
            }
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        for (int i = 0; i < Math.min(lines.size(), maxLines); i++) {
            String s = lines.get(i);
            if (i == maxLines - 1 && lines.size() > maxLines) {
                s = s + "\u2026";
            }
            while (fm.stringWidth(s) > width && s.length() > 1) {
                s = s.substring(0, s.length() - 2) + "\u2026";
            }
            g.drawString(s, x, y + i * fm.getHeight());
        }
    }
}
