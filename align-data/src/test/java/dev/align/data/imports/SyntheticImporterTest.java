package dev.align.data.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.align.data.image.ImageDecoder;
import dev.align.data.shards.Sample;
import dev.align.data.shards.ShardReader;
import dev.align.data.shards.ShardReaderOptions;
import dev.align.data.text.BpeTokenizer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticImporterTest {

    @TempDir
    Path dir;

    private ImportSummary importInto(Path out, long seed) throws IOException {
        return new SyntheticImporter(2).run(ImportOptions.of(out).withSeed(seed).withLimit(90)
                .withShardSize(40), ImportListener.NONE);
    }

    @Test
    void writesShardsTokenizerSummaryAndAnImageFolderEvalSet() throws IOException {
        Path out = dir.resolve("syn");
        ImportSummary summary = importInto(out, 3);
        assertEquals(90, summary.samples());
        assertEquals(3, summary.shardFiles());
        assertEquals(out.resolve("{00000..00002}.tar").toString(), summary.shards());
        assertEquals(Map.of(), summary.skipped());
        assertEquals(48, summary.evalClasses());
        assertEquals(96, summary.evalImages());
        for (String f : List.of("00000.tar", "00001.tar", "00002.tar", "sizes.json",
                "stats.json", "tokenizer.json", "import.json")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        JsonNode sizes = new ObjectMapper().readTree(out.resolve("sizes.json").toFile());
        assertEquals(40, sizes.get("00000.tar").asInt());
        assertEquals(10, sizes.get("00002.tar").asInt());
        assertEquals(SyntheticImporter.TEMPLATES,
                Files.readAllLines(out.resolve("eval/templates.txt")));
        try (Stream<Path> classes = Files.list(out.resolve("eval"))) {
            List<Path> folders = classes.filter(Files::isDirectory).sorted().toList();
            assertEquals(48, folders.size());
            assertEquals("black circle", folders.get(0).getFileName().toString());
            try (Stream<Path> images = Files.list(folders.get(0))) {
                assertEquals(List.of("00000.png", "00001.png"), images.map(
                        p -> p.getFileName().toString()).sorted().toList());
            }
        }
        BpeTokenizer tokenizer = BpeTokenizer.load(out.resolve("tokenizer.json"));
        assertEquals(summary.vocabSize(), tokenizer.vocabSize());
        assertTrue(tokenizer.vocabSize() <= ImportOptions.DEFAULT_VOCAB_SIZE);
        assertEquals(32, tokenizer.contextLength());
        // Every caption word was seen in training, so each is one token.
        assertEquals(List.of("a</w>", "small</w>", "red</w>", "circle</w>"),
                tokenizer.tokens("a small red circle"));
        JsonNode written = new ObjectMapper().readTree(out.resolve("import.json").toFile());
        assertEquals("synthetic", written.get("kind").asText());
        assertEquals(90, written.get("samples").asLong());
    }

    @Test
    void sameSeedGivesIdenticalBytesAndAnotherSeedDoesNot() throws Exception {
        importInto(dir.resolve("a"), 11);
        importInto(dir.resolve("b"), 11);
        importInto(dir.resolve("c"), 12);
        for (String f : List.of("00000.tar", "00001.tar", "00002.tar", "tokenizer.json",
                "eval/red circle/00001.png")) {
            assertArrayEquals(sha256(dir.resolve("a").resolve(f)),
                    sha256(dir.resolve("b").resolve(f)), f);
        }
        assertFalse(java.util.Arrays.equals(sha256(dir.resolve("a/00000.tar")),
                sha256(dir.resolve("c/00000.tar"))));
    }

    @Test
    void captionsDescribeWhatTheImagesShow() throws IOException {
        Path out = dir.resolve("syn");
        importInto(out, 5);
        ObjectMapper json = new ObjectMapper();
        ImageDecoder decoder = new ImageDecoder();
        Map<Integer, Integer> counts = new TreeMap<>();
        int samples = 0;
        try (ShardReader reader = ShardReader.open(ShardReaderOptions.of(
                out.resolve("{00000..00002}.tar").toString()), 0)) {
            while (reader.hasNext()) {
                Sample sample = reader.next();
                samples++;
                JsonNode meta = json.readTree(new String(sample.members().get("json"),
                        StandardCharsets.UTF_8));
                String caption = sample.caption();
                String colour = meta.get("colour").asText();
                String shape = meta.get("shape").asText();
                int count = meta.get("count").asInt();
                counts.merge(count, 1, Integer::sum);
                assertTrue(caption.contains(" " + colour + " ") || caption.startsWith(colour)
                        || caption.contains("coloured " + colour), caption);
                assertTrue(caption.contains(shape), caption);
                BufferedImage image = decoder.decode(sample.image());
                boolean[] mask = colourMask(image,
                        SyntheticImporter.COLOUR_RGB[SyntheticImporter.COLOURS.indexOf(colour)]);
                assertEquals(count, components(mask, image.getWidth()), caption);
                if (count == 1) {
                    String position = meta.get("position").asText();
                    assertTrue(caption.contains(position.equals("centre") ? "in the " : position),
                            caption);
                    assertTrue(centroidIsIn(mask, image.getWidth(), position),
                            caption + " " + meta);
                } else {
                    assertTrue(caption.contains(count == 2 ? "two " : "three "), caption);
                }
            }
            assertEquals(Map.of(), reader.skipped());
        }
        assertEquals(90, samples);
        assertEquals(3, counts.size(), "one, two and three objects all occur: " + counts);
    }

    @Test
    void refusesAFolderThatAlreadyHoldsShards() throws IOException {
        Path out = dir.resolve("syn");
        importInto(out, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> importInto(out, 1));
        assertTrue(e.getMessage().contains("already holds"), e.getMessage());
    }

    @Test
    void rejectsImagesTooSmallForTheScenes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SyntheticImporter(0).run(ImportOptions.of(dir).withImageSize(16),
                        ImportListener.NONE));
        assertTrue(e.getMessage().contains("got 16"), e.getMessage());
    }

    /** Pixels within a small distance of the fill colour (the interiors of the shapes). */
    private static boolean[] colourMask(BufferedImage image, int rgb) {
        int w = image.getWidth();
        int h = image.getHeight();
        boolean[] mask = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = image.getRGB(x, y);
                int d = 0;
                for (int shift = 0; shift <= 16; shift += 8) {
                    d += Math.abs(((p >> shift) & 0xFF) - ((rgb >> shift) & 0xFF));
                }
                mask[y * w + x] = d <= 30;
            }
        }
        return mask;
    }

    /** 8-connected components of at least 4 pixels. */
    private static int components(boolean[] mask, int w) {
        boolean[] seen = new boolean[mask.length];
        int found = 0;
        for (int i = 0; i < mask.length; i++) {
            if (!mask[i] || seen[i]) {
                continue;
            }
            int size = 0;
            List<Integer> stack = new ArrayList<>(List.of(i));
            seen[i] = true;
            while (!stack.isEmpty()) {
                int p = stack.remove(stack.size() - 1);
                size++;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int x = p % w + dx;
                        int y = p / w + dy;
                        int q = y * w + x;
                        if (x >= 0 && x < w && y >= 0 && q < mask.length && mask[q] && !seen[q]) {
                            seen[q] = true;
                            stack.add(q);
                        }
                    }
                }
            }
            found += size >= 4 ? 1 : 0;
        }
        return found;
    }

    private static boolean centroidIsIn(boolean[] mask, int w, String position) {
        double sx = 0;
        double sy = 0;
        int n = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                sx += i % w;
                sy += i / w;
                n++;
            }
        }
        double cx = sx / n / w;
        double cy = sy / n / w;
        return switch (position) {
            case "top left" -> cx < 0.5 && cy < 0.5;
            case "top right" -> cx > 0.5 && cy < 0.5;
            case "bottom left" -> cx < 0.5 && cy > 0.5;
            case "bottom right" -> cx > 0.5 && cy > 0.5;
            default -> Math.abs(cx - 0.5) < 0.1 && Math.abs(cy - 0.5) < 0.1;
        };
    }

    private static byte[] sha256(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }
}
