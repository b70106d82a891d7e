package dev.align.data.imports;

import static dev.align.core.Checks.checkArgument;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.align.data.image.ImageDecodeException;
import dev.align.data.image.ImageDecoder;
import dev.align.core.SplitMix64;
import dev.align.data.text.BpeTokenizer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The emoji sets of emoji-datasource (npm {@code emoji-datasource-<style>@16.0.0}: 64x64 RGBA
 * PNGs, 1,911 emoji and their skin tones) drawn by Google and Twitter (the default) and, when
 * asked for, Apple and Facebook ({@link Style}), captioned with the CLDR label and tags of
 * {@code emojibase-data@17.0.0} ("fox face, animal, nature"). The same concepts drawn by
 * several artists: train on some styles and evaluate zero-shot on another to measure what was
 * learned rather than memorised.
 *
 * <p>Source layout ({@code tools/fetch/fetch emoji}, and {@code emoji-styles} for Apple and
 * Facebook): {@code emoji-datasource-google/emoji.json},
 * {@code emoji-datasource-google/img/google/64/<image>}, the same for every other style, and
 * {@code emojibase-data/en/data.json}. Emoji are matched on their code points with the
 * variation selector FE0F removed; those without a CLDR label are skipped
 * ({@code no_cldr_label}), as are missing ({@code missing_image}) or undecodable
 * ({@code corrupt_image}) images. Transparent pixels are composited onto the background.
 *
 * <p>Besides the shards (in a seeded random order, see {@link Importer}) it writes
 * {@code labels.txt}, the CLDR labels of the imported emoji, one per line; and an ImageFolder
 * {@code eval/} with one class per label (folder: the code points of its first emoji, as
 * {@code 1F44B-1F3FF}; readable name in {@code classnames.txt}: the CLDR label), holding that
 * emoji's drawings (one per style) as a same-style check of what a model learned, with the
 * prompt templates of the captions ({@code templates.txt}: {@value #TEMPLATE_LINES}). Each
 * sample's {@code .json} keeps its identity: {@code style}, {@code hexcode} (code points),
 * {@code emoji}, {@code label} (CLDR), {@code tags}, {@code category}, {@code subcategory},
 * {@code skinTone} (0 none, 1-5) and {@code index} (position in the source order).
 *
 * <p><b>Languages.</b> Given a list of emojibase language codes ({@code en,de,ja,...}, read from
 * {@code emojibase-data/<lang>/data.json}, see {@link EmojiLabels}), every drawing is written
 * once per language, captioned in that language: one pair per image and language, rather than
 * one language drawn per image, so that every language names every concept and a per-language
 * zero-shot score measures the language, not which concepts happened to get it. English
 * captions are the ones an English-only import writes (same seed, same wording); the other
 * languages get the CLDR label followed by up to three tags ({@code "Fuchsgesicht, Fuchs,
 * Tier"}), since the English templates have no translation here. Each sample's {@code .json} then
 * also records {@code lang}, and its {@code label} and {@code tags} are that language's. Which
 * emoji are imported is decided by English (an emoji needs an English label, as without
 * languages); one without a label in another language skips that pair
 * ({@code no_cldr_label_<lang>}). Beside {@code labels.txt} (English) it writes
 * {@code labels.<lang>.txt}, and in {@code eval/} {@code classnames.<lang>.txt} (the same
 * folders named in each language) and {@code templates.<lang>.txt} (English: the caption forms;
 * other languages: {@code {}}). The tokenizer is trained on the mixture with combining marks
 * kept inside words ({@link BpeTokenizer.Words#MULTILINGUAL}). Without a language list the import is the English one it always
 * was, with no {@code lang} key.
 */
public final class EmojiImporter implements Importer {

    /**
     * An artist's drawings of the emoji: the npm package {@code emoji-datasource-<name>@16.0.0}.
     * Google's (Apache-2.0) and Twitter's (CC-BY-4.0) art is free to share; Apple's is not
     * licensed for commercial use and Facebook's has no clear licence (the packages' README), so
     * they are only fetched into the local cache ({@code tools/fetch/fetch emoji-styles}), never
     * shipped.
     */
    public enum Style {
        /** Google's Noto emoji. */
        GOOGLE,
        /** Twitter's Twemoji. */
        TWITTER,
        /** Apple's emoji (not free to redistribute). */
        APPLE,
        /** Facebook's emoji (not free to redistribute). */
        FACEBOOK;

        /** The lower-case name of the package and its image folder: {@code google}. */
        public String folder() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether the art comes from {@code tools/fetch/fetch emoji-styles}, not {@code emoji}. */
        public boolean fetchedSeparately() {
            return this == APPLE || this == FACEBOOK;
        }

        /**
         * Styles from a comma-separated list of names ({@code google,twitter,apple}), in the
         * given order.
         *
         * @throws IllegalArgumentException for an unknown or repeated name or an empty list,
         *     naming it and the known styles
         */
        public static List<Style> parseList(String names) {
            checkArgument(names != null && !names.isBlank(), "the style list is empty: give "
                    + "some of google, twitter, apple, facebook");
            List<Style> out = new ArrayList<>();
            for (String n : names.split(",", -1)) {
                Style style;
                try {
                    style = valueOf(n.strip().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown emoji style '" + n.strip()
                            + "' in '" + names + "': use google, twitter, apple or facebook");
                }
                checkArgument(!out.contains(style), "style %s repeats in '%s'", style.folder(),
                        names);
                out.add(style);
            }
            return List.copyOf(out);
        }
    }

    /** The styles imported when none are given: Google and Twitter, the free ones. */
    public static final List<Style> DEFAULT_STYLES = List.of(Style.GOOGLE, Style.TWITTER);

    /** The templates written to {@code eval/templates.txt}: the caption forms, one a line. */
    public static final List<String> TEMPLATES = List.of("{}", "an emoji of {}", "{} emoji");
    static final String TEMPLATE_LINES = "{}, an emoji of {}, {} emoji";

    private final Path source;
    private final List<Style> styles;
    private final int evalPerClass;
    private final List<String> languages;

    /**
     * An importer that writes every drawing to {@code eval/} too.
     *
     * @param source the folder {@code tools/fetch/fetch emoji} fills
     * @param styles which drawings, distinct, at least one; each emoji once per style, in
     *     this order
     */
    public EmojiImporter(Path source, List<Style> styles) {
        this(source, styles, Integer.MAX_VALUE);
    }

    /**
     * @param source the folder {@code tools/fetch/fetch emoji} fills
     * @param styles which drawings, distinct, at least one
     * @param evalPerClass drawings per label written to {@code eval/}, {@code >= 0} (0 = no
     *     {@code eval/})
     */
    public EmojiImporter(Path source, List<Style> styles, int evalPerClass) {
        this(source, styles, evalPerClass, null);
    }

    /**
     * A multilingual import (see the class comment).
     *
     * @param source the folder {@code tools/fetch/fetch emoji} (and {@code emoji-languages})
     *     fills
     * @param styles which drawings, distinct, at least one
     * @param evalPerClass drawings per label written to {@code eval/}, {@code >= 0}
     * @param languages emojibase language codes, distinct, at least one; null = the English
     *     import without {@code lang} keys
     */
    public EmojiImporter(Path source, List<Style> styles, int evalPerClass,
            List<String> languages) {
        checkArgument(styles != null && !styles.isEmpty()
                && styles.stream().allMatch(java.util.Objects::nonNull),
                "give at least one emoji style, got %s", styles);
        checkArgument(new java.util.HashSet<>(styles).size() == styles.size(),
                "styles %s repeat a style", styles);
        checkArgument(evalPerClass >= 0, "eval images per class must be >= 0, got %s",
                evalPerClass);
        if (languages != null) {
            checkArgument(!languages.isEmpty(), "the language list is empty");
            checkArgument(new java.util.HashSet<>(languages).size() == languages.size(),
                    "languages %s repeat a code", languages);
            EmojiLabels.parseLanguages(String.join(",", languages));    // checks every code
        }
        this.source = source;
        this.styles = List.copyOf(styles);
        this.evalPerClass = evalPerClass;
        this.languages = languages == null ? null : List.copyOf(languages);
    }

    @Override
    public String kind() {
        return "emoji";
    }

    /** One drawing to import. */
    private record Item(String style, String hexcode, String image, String name,
            String category, String subcategory, int skinTone) {}

    @Override
    public ImportSummary run(ImportOptions options, ImportListener listener) throws IOException {
        ObjectMapper json = new ObjectMapper();
        EmojiLabels english = EmojiLabels.parse("en", json.readTree(Sources.require(source,
                kind(), "emojibase-data/en/data.json").toFile()));
        Map<String, EmojiLabels> other = new LinkedHashMap<>();
        if (languages != null) {
            for (String lang : languages) {
                if (!lang.equals("en")) {
                    other.put(lang, EmojiLabels.read(source.resolve("emojibase-data"), lang));
                }
            }
        }
        Map<String, List<String>> writtenByLanguage = new LinkedHashMap<>();
        Map<String, List<Item>> byStyle = new LinkedHashMap<>();
        for (Style st : styles) {
            String s = st.folder();
            String fetch = st.fetchedSeparately() ? "emoji-styles" : kind();
            Path emojiJson = Sources.require(source, fetch, "emoji-datasource-" + s
                    + "/emoji.json");
            Sources.require(source, fetch, "emoji-datasource-" + s + "/img/" + s + "/64");
            byStyle.put(s, items(json.readTree(emojiJson.toFile()), s));
        }
        List<Item> order = interleave(byStyle);
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS,
                options.background());
        int maxSide = options.imageSizeOr(Integer.MAX_VALUE);
        Map<String, String> folderOfLabel = new HashMap<>();
        List<String> written = new ArrayList<>();
        long perImage = languages == null ? 1 : languages.size();  // a pair per language
        try (ImportSink sink = new ImportSink(kind(), options, listener, order.size() * perImage)) {
            if (languages != null) {
                sink.tokenizerWords(BpeTokenizer.Words.MULTILINGUAL);  // Hindi and Thai vowel signs
            }
            for (int i = 0; i < order.size() && !sink.full(); i++) {
                Item item = order.get(i);
                String what = item.style() + " " + item.hexcode();
                EmojiLabels.Label label = english.get(item.hexcode());
                if (label == null) {
                    sink.skip("no_cldr_label", what, "emojibase has no English label for "
                            + item.name());
                    continue;
                }
                Path file = source.resolve("emoji-datasource-" + item.style()).resolve("img")
                        .resolve(item.style()).resolve("64").resolve(item.image());
                if (!Files.isRegularFile(file)) {
                    sink.skip("missing_image", what, file + " does not exist");
                    continue;
                }
                BufferedImage image;
                try {
                    image = Sources.fit(decoder.decode(Files.readAllBytes(file)), maxSide);
                } catch (ImageDecodeException e) {
                    sink.skip(e.kind() == ImageDecodeException.Kind.TOO_LARGE ? "too_large"
                            : "corrupt_image", what, file + ": " + e.getMessage());
                    continue;
                }
                String folder = folderOfLabel.computeIfAbsent(label.label(),
                        l -> normalise(item.hexcode()));
                boolean toEval = sink.evalCount(folder) < evalPerClass;
                if (languages == null) {
                    SplittableRandom random = new SplittableRandom(
                            SplitMix64.derive(options.seed(), i));
                    sink.write(image, caption(label, random), meta(item, label, null, i));
                } else {
                    for (String lang : languages) {
                        EmojiLabels.Label l = lang.equals("en") ? label
                                : other.get(lang).get(item.hexcode());
                        if (l == null) {
                            sink.skip("no_cldr_label_" + lang, what, "emojibase has no " + lang
                                    + " label for " + item.name());
                            continue;
                        }
                        SplittableRandom random = new SplittableRandom(lang.equals("en")
                                ? SplitMix64.derive(options.seed(), i)
                                : SplitMix64.derive(options.seed(), i, lang.hashCode()));
                        String caption = lang.equals("en") ? caption(label, random)
                                : Sources.withTags(l.label(), Sources.someTags(l.tags(),
                                        l.label(), random.nextInt(4), random));
                        sink.write(image, caption, meta(item, l, lang, i));
                        writtenByLanguage.computeIfAbsent(lang, k -> new ArrayList<>())
                                .add(l.label());
                        if (toEval) {
                            sink.evalClassName(lang, folder, l.label());
                        }
                    }
                }
                written.add(label.label());
                if (toEval) {
                    sink.writeEval(folder, image);
                    sink.evalClassName(folder, label.label());
                }
            }
            sink.labels(written);
            sink.evalTemplates(TEMPLATES);
            writtenByLanguage.forEach(sink::labels);
            if (languages != null) {
                for (String lang : languages) {
                    sink.evalTemplates(lang, lang.equals("en") ? TEMPLATES : List.of("{}"));
                }
            }
            return sink.finish();
        }
    }

    /** A sample's {@code .json}: its identity, and its language when the import has several. */
    private static Map<String, Object> meta(Item item, EmojiLabels.Label label, String lang,
            int index) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("style", item.style());
        meta.put("hexcode", item.hexcode());
        meta.put("emoji", emoji(item.hexcode()));
        if (lang != null) {
            meta.put("lang", lang);
        }
        meta.put("label", label.label());
        meta.put("tags", label.tags());
        meta.put("category", item.category());
        meta.put("subcategory", item.subcategory());
        meta.put("skinTone", item.skinTone());
        meta.put("index", index);
        return meta;
    }

    /** "fox face", "an emoji of fox face" or "fox face emoji", then up to three tags. */
    private static String caption(EmojiLabels.Label label, SplittableRandom random) {
        int form = random.nextInt(4);
        String head = form == 2 ? "an emoji of " + label.label()
                : form == 3 ? label.label() + " emoji" : label.label();
        return Sources.withTags(head, Sources.someTags(label.tags(), label.label(),
                random.nextInt(4), random));
    }

    /** Every drawing of a style in emoji-datasource's sort order, skin tones after their base. */
    private static List<Item> items(JsonNode emoji, String style) {
        checkArgument(emoji.isArray(), "emoji-datasource-%s emoji.json is not a JSON array", style);
        List<JsonNode> entries = new ArrayList<>();
        emoji.forEach(entries::add);
        entries.sort(Comparator.comparingInt(e -> e.path("sort_order").asInt(Integer.MAX_VALUE)));
        List<Item> out = new ArrayList<>();
        for (JsonNode e : entries) {
            String category = e.path("category").asText("");
            String subcategory = e.path("subcategory").asText("");
            String name = e.path("name").asText("").toLowerCase(Locale.ROOT);
            if (e.path("has_img_" + style).asBoolean(true)) {
                out.add(new Item(style, e.path("unified").asText(), e.path("image").asText(),
                        name, category, subcategory, 0));
            }
            JsonNode skins = e.path("skin_variations");
            List<String> tones = new ArrayList<>();
            skins.fieldNames().forEachRemaining(tones::add);
            tones.sort(null);
            for (String tone : tones) {
                JsonNode v = skins.get(tone);
                if (v.path("has_img_" + style).asBoolean(true)) {
                    out.add(new Item(style, v.path("unified").asText(), v.path("image").asText(),
                            name, category, subcategory, skinTone(tone)));
                }
            }
        }
        return out;
    }

    /** 1F3FB..1F3FF are Fitzpatrick types 1-2 to 6, skin tones 1 to 5; combinations give 0. */
    private static int skinTone(String modifier) {
        return switch (modifier) {
            case "1F3FB" -> 1;
            case "1F3FC" -> 2;
            case "1F3FD" -> 3;
            case "1F3FE" -> 4;
            case "1F3FF" -> 5;
            default -> 0;
        };
    }

    /** Each emoji in every style, in the order of the styles (the shards are shuffled anyway). */
    private static List<Item> interleave(Map<String, List<Item>> byStyle) {
        List<Item> out = new ArrayList<>();
        int longest = byStyle.values().stream().mapToInt(List::size).max().orElse(0);
        for (int i = 0; i < longest; i++) {
            for (List<Item> items : byStyle.values()) {
                if (i < items.size()) {
                    out.add(items.get(i));
                }
            }
        }
        return out;
    }

    /** The characters of code points written as hex joined by '-' ({@code 1F44B-1F3FF}). */
    static String emoji(String hexcode) {
        StringBuilder b = new StringBuilder();
        for (String cp : hexcode.split("-")) {
            try {
                b.appendCodePoint(Integer.parseInt(cp, 16));
            } catch (IllegalArgumentException e) {
                return "";                                     // not code points: leave it out
            }
        }
        return b.toString();
    }

    /** Upper-case code points joined by '-', without the emoji variation selector FE0F. */
    static String normalise(String hexcode) {
        return EmojiLabels.normalise(hexcode);
    }
}
