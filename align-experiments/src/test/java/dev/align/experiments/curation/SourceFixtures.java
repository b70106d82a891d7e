package dev.align.experiments.curation;

import dev.align.core.io.AtomicFiles;
import dev.align.core.json.Json;
import dev.align.data.imports.ImportSummary;
import dev.align.data.shards.ShardWriter;
import dev.align.experiments.pool.Items;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Tiny source folders in the layouts {@code tools/fetch/fetch} leaves, for the experiment's
 * end-to-end tests: emoji (Google, Twitter and emojibase labels), MDI, and an OpenMoji import
 * folder with the {@code eval/} ImageFolder (one class per emoji, {@code classnames.txt},
 * {@code templates.txt}) that {@code ./align data import openmoji} writes.
 */
final class SourceFixtures {

    private SourceFixtures() {}

    static String hex(int c) {
        return String.format(Locale.ROOT, "E%03X", c);
    }

    /** {@code concepts} emoji drawn by two artists; emoji 0 also has one skin-tone variant. */
    static Path emoji(Path dir, int concepts) throws IOException {
        List<Map<String, Object>> labels = new ArrayList<>();
        for (String style : List.of("google", "twitter")) {
            List<Map<String, Object>> entries = new ArrayList<>();
            Path img = dir.resolve("emoji-datasource-" + style).resolve("img").resolve(style)
                    .resolve("64");
            Files.createDirectories(img);
            for (int c = 0; c < concepts; c++) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("unified", hex(c));
                e.put("image", hex(c).toLowerCase(Locale.ROOT) + ".png");
                e.put("sort_order", c);
                e.put("name", "THING " + c);
                e.put("category", "Objects");
                e.put("subcategory", "group" + c % 3);
                Files.write(img.resolve(hex(c).toLowerCase(Locale.ROOT) + ".png"),
                        Items.drawing(c, style.equals("google") ? 0 : 1));
                if (c == 0) {
                    String tone = hex(c) + "-1F3FB";
                    e.put("skin_variations", Map.of("1F3FB", Map.of("unified", tone,
                            "image", tone.toLowerCase(Locale.ROOT) + ".png")));
                    Files.write(img.resolve(tone.toLowerCase(Locale.ROOT) + ".png"),
                            Items.drawing(c, 1));
                }
                entries.add(e);
            }
            write(dir.resolve("emoji-datasource-" + style).resolve("emoji.json"), entries);
        }
        for (int c = 0; c < concepts; c++) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("hexcode", hex(c));
            l.put("label", "thing " + words(c));
            l.put("tags", List.of("group" + c % 3, "kind" + c % 5));
            if (c == 0) {
                l.put("skins", List.of(Map.of("hexcode", hex(c) + "-1F3FB",
                        "label", "thing " + words(c) + ": light skin tone")));
            }
            labels.add(l);
        }
        write(dir.resolve("emojibase-data").resolve("en").resolve("data.json"), labels);
        return dir;
    }

    /** {@code icons} Material Design-like icons: a black bar each. */
    static Path mdi(Path dir, int icons) throws IOException {
        List<Map<String, Object>> meta = new ArrayList<>();
        Files.createDirectories(dir.resolve("svg"));
        for (int i = 0; i < icons; i++) {
            String name = "icon-" + words(i).replace(' ', '-');
            meta.add(Map.of("name", name, "aliases", List.of("alias-" + i), "tags",
                    List.of("Shape")));
            Files.writeString(dir.resolve("svg").resolve(name + ".svg"), String.format(Locale.ROOT,
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\"><path "
                            + "d=\"M%d %dH%dV%dH%dZ\"/></svg>", 2 + i % 10, 2 + i % 7,
                    12 + i % 10, 14 + i % 7, 2 + i % 10), StandardCharsets.UTF_8);
        }
        write(dir.resolve("meta.json"), meta);
        return dir;
    }

    /**
     * An OpenMoji import folder as {@code ./align data import openmoji} writes it: shards of
     * (drawing, caption, {@code hexcode}/{@code annotation}) and {@code eval/} with one class
     * per emoji 0..concepts-1 plus one emoji the pool never has.
     */
    static Path openmojiImport(Path dir, int concepts) throws IOException {
        Path eval = dir.resolve("eval");
        StringBuilder names = new StringBuilder();
        try (ShardWriter w = new ShardWriter(dir, 1000)) {
            for (int c = 0; c <= concepts; c++) {
                int concept = c == concepts ? 999 : c;
                String annotation = "thing " + words(concept);
                byte[] png = Items.drawing(concept, 2);
                w.write(String.format(Locale.ROOT, "%09d", c), "png", png, annotation,
                        "{\"hexcode\":\"" + hex(concept) + "\",\"annotation\":\"" + annotation
                                + "\"}");
                Path cls = eval.resolve(hex(concept));
                Files.createDirectories(cls);
                Files.write(cls.resolve("00000.png"), png);
                names.append(hex(concept)).append('\t').append(annotation).append('\n');
            }
        }
        Files.writeString(eval.resolve("classnames.txt"), names, StandardCharsets.UTF_8);
        Files.writeString(eval.resolve("templates.txt"), "{}\na drawing of {}.\n",
                StandardCharsets.UTF_8);
        ImportSummary summary = new ImportSummary("openmoji", dir.resolve("00000.tar").toString(),
                1, concepts + 1, Map.of(), dir.resolve("tokenizer.json").toString(), 600, 16,
                eval.toString(), concepts + 1, concepts + 1, 0.1);
        AtomicFiles.write(dir.resolve("import.json"), Json.write(summary)
                .getBytes(StandardCharsets.UTF_8));
        return dir;
    }

    /** A number in words, so captions have real words for the tokenizer and the rules. */
    static String words(int n) {
        String[] ones = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
            "nine"};
        StringBuilder sb = new StringBuilder();
        for (char d : Integer.toString(n).toCharArray()) {
            sb.append(sb.length() == 0 ? "" : " ").append(ones[d - '0']);
        }
        return sb.toString();
    }

    private static void write(Path file, Object value) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, Json.write(value), StandardCharsets.UTF_8);
    }
}
