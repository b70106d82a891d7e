package dev.align.curation.pipeline;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Writes small WebDataset shards member by member, including broken samples. */
final class TinyPool {

    private final Map<String, byte[]> members = new LinkedHashMap<>();

    /** A flat-coloured PNG with a small mark, so every (colour, size) has its own bytes. */
    static byte[] png(int width, int height, int rgb) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(rgb));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(~rgb & 0xFFFFFF));
        g.fillRect(width / 4, height / 4, width / 2, height / 3);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    /** A PNG whose header is valid but whose pixel data is cut off. */
    static byte[] truncatedPng(int width, int height) {
        byte[] full = png(width, height, 0x123456);
        return Arrays.copyOf(full, 45); // signature (8) + IHDR (25) + a few bytes of the next chunk
    }

    TinyPool add(String key, byte[] png, String caption) {
        members.put(key + ".png", png);
        members.put(key + ".txt", caption.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    TinyPool addRaw(String name, byte[] bytes) {
        members.put(name, bytes);
        return this;
    }

    void write(Path shard) throws IOException {
        Files.createDirectories(shard.getParent());
        try (OutputStream file = Files.newOutputStream(shard);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(file)) {
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(m.getKey());
                e.setSize(m.getValue().length);
                tar.putArchiveEntry(e);
                tar.write(m.getValue());
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
    }
}
