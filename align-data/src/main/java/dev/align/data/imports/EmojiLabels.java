package dev.align.data.imports;

import static dev.align.core.Checks.checkArgument;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.align.core.io.TextFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The CLDR labels and tags of the emoji in one language, as {@code emojibase-data@17.0.0} ships
 * them ({@code emojibase-data/<lang>/data.json}; {@code tools/fetch/fetch emoji} brings
 * {@code en}, {@code tools/fetch/fetch emoji-languages} the 27 others: {@code bn da de en-gb es
 * es-mx et fi fr hi hu it ja ko lt ms nb nl pl pt ru sv th uk vi zh zh-hant}). Keyed by the emoji's
 * code points in upper-case hex joined by {@code '-'} without the variation selector FE0F
 * ({@link #normalise}), skin tones included (they share their base's tags).
 */
public final class EmojiLabels {

    /** A language code as emojibase names its folders: {@code en}, {@code zh-hant}, ... */
    private static final Pattern CODE = Pattern.compile("[a-z]{2,3}(-[a-z]{2,4})?");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /**
     * One emoji's label in a language.
     *
     * @param label the CLDR label ("fox face", "Fuchsgesicht")
     * @param tags its CLDR tags (keywords), in the file's order
     */
    public record Label(String label, List<String> tags) {}

    private final String language;
    private final Map<String, Label> byHexcode;

    private EmojiLabels(String language, Map<String, Label> byHexcode) {
        this.language = language;
        this.byHexcode = byHexcode;
    }

    /**
     * Reads one language.
     *
     * @param emojibase the {@code emojibase-data} folder of the emoji cache
     * @param language an emojibase language code ({@code de}, {@code ja}, {@code zh-hant})
     * @throws IllegalArgumentException if the code is malformed or its {@code data.json} is
     *     missing (the message says which fetch brings it), not UTF-8, not JSON or not a JSON
     *     array
     * @throws IOException if the file cannot be read
     */
    public static EmojiLabels read(Path emojibase, String language) throws IOException {
        checkLanguage(language);
        Path file = emojibase.resolve(language).resolve("data.json");
        checkArgument(Files.isRegularFile(file), "no emoji labels for language '%s': %s does not "
                + "exist; 'tools/fetch/fetch emoji-languages' adds every language emojibase-data "
                + "has (bn da de en-gb es es-mx et fi fr hi hu it ja ko lt ms nb nl pl pt ru sv "
                + "th uk vi zh zh-hant) to the emoji cache", language, file);
        JsonNode tree;
        try {
            // Strict UTF-8 first: Jackson would guess UTF-16/32 from the first bytes.
            tree = new ObjectMapper().readTree(TextFiles.readUtf8(file));
        } catch (TextFiles.MalformedTextException e) {
            throw new IllegalArgumentException(String.format("emojibase labels %s; 'tools/fetch/"
                    + "fetch emoji-languages' fetches it again", e.getMessage()), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(String.format("emojibase labels %s are not valid "
                    + "JSON (%s); 'tools/fetch/fetch emoji-languages' fetches them again", file,
                    e.getOriginalMessage()), e);
        }
        return parse(language, tree);
    }

    /**
     * Labels from an emojibase {@code data.json} tree. Labels and tags are kept on one line
     * (ASCII white-space runs, line breaks included, become one space; they are written one per
     * line to {@code labels.LANG.txt} and {@code classnames.LANG.txt}); an emoji or skin tone
     * without a textual hexcode and label is left out, as are blank or non-textual tags.
     *
     * @throws IllegalArgumentException if it is not a JSON array
     */
    static EmojiLabels parse(String language, JsonNode data) {
        checkArgument(data != null && data.isArray(), "emojibase %s/data.json is not a JSON array "
                + "of emoji", language);
        Map<String, Label> out = new HashMap<>();
        for (JsonNode e : data) {
            String label = oneLine(e.get("label"));
            String hexcode = oneLine(e.get("hexcode"));
            if (label.isEmpty() || hexcode.isEmpty()) {
                continue;
            }
            List<String> tags = new ArrayList<>();
            JsonNode tagNodes = e.path("tags");
            if (tagNodes.isArray()) {
                for (JsonNode t : tagNodes) {
                    String tag = oneLine(t);
                    if (!tag.isEmpty()) {
                        tags.add(tag);
                    }
                }
            }
            Label base = new Label(label, List.copyOf(tags));
            out.put(normalise(hexcode), base);
            JsonNode skins = e.path("skins");
            if (!skins.isArray()) {
                continue;
            }
            for (JsonNode skin : skins) {
                String skinLabel = oneLine(skin.get("label"));
                String skinHexcode = oneLine(skin.get("hexcode"));
                if (!skinLabel.isEmpty() && !skinHexcode.isEmpty()) {
                    out.put(normalise(skinHexcode), new Label(skinLabel, base.tags()));
                }
            }
        }
        return new EmojiLabels(language, Map.copyOf(out));
    }

    /** A string value with ASCII white-space runs made one space and stripped; "" otherwise. */
    private static String oneLine(JsonNode node) {
        return node != null && node.isTextual()
                ? WHITESPACE.matcher(node.asText()).replaceAll(" ").strip() : "";
    }

    /**
     * Parses a comma-separated language list ({@code "en,de,ja"}): codes trimmed, repeats
     * removed, order kept.
     *
     * @throws IllegalArgumentException if it is empty or a code is malformed
     */
    public static List<String> parseLanguages(String commaSeparated) {
        checkArgument(commaSeparated != null && !commaSeparated.isBlank(),
                "the language list is empty: give codes such as en,de,ja");
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String part : commaSeparated.split(",")) {
            String code = part.strip();
            checkLanguage(code);
            out.add(code);
        }
        return List.copyOf(out);
    }

    private static void checkLanguage(String code) {
        checkArgument(code != null && CODE.matcher(code).matches(), "'%s' is no emojibase "
                + "language code (lower case, such as en, de, ja, zh-hant)", code);
    }

    /** @return the language code */
    public String language() {
        return language;
    }

    /**
     * @param hexcode an emoji's code points ({@code 1F44B-1F3FF}; case and FE0F do not matter)
     * @return its label in this language, or null if it has none
     */
    public Label get(String hexcode) {
        return byHexcode.get(normalise(hexcode));
    }

    /** @return every label by normalised hexcode (for tests) */
    Map<String, Label> all() {
        return byHexcode;
    }

    /** @return the number of labelled emoji, skin tones included */
    public int size() {
        return byHexcode.size();
    }

    /** Upper-case code points joined by '-', without the emoji variation selector FE0F. */
    public static String normalise(String hexcode) {
        return hexcode.toUpperCase(Locale.ROOT).replace("-FE0F", "").replace("FE0F-", "");
    }
}
