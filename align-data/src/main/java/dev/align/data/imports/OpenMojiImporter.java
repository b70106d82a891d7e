package dev.align.data.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.weisj.jsvg.SVGDocument;
import com.github.weisj.jsvg.parser.LoaderContext;
import com.github.weisj.jsvg.parser.SVGLoader;
import com.github.weisj.jsvg.view.ViewBox;
import dev.align.core.Checks;
import dev.align.data.image.ImageDecoder;
import dev.align.core.SplitMix64;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * OpenMoji 17 (npm {@code openmoji@17.0.0}, CC-BY-SA-4.0): 4,495 colour SVGs in a flat, outlined
 * style unlike Google's or Twitter's, rendered in Java with jsvg, captioned with the annotation
 * and tags of {@code data/openmoji.json} ("grinning face, face, grin, smile"). A style-shift test
 * set for models trained on the emoji importer's drawings.
 *
 * <p>Source layout ({@code tools/fetch/fetch openmoji}): {@code data/openmoji.json} and
 * {@code color/svg/<HEXCODE>.svg}. Missing SVGs are skipped as {@code missing_image}, SVGs jsvg
 * cannot parse or render as {@code corrupt_svg}; transparency is composited onto the background.
 *
 * <p>Besides the shards (in a seeded random order, see {@link Importer}) it writes
 * {@code labels.txt} (the annotations, one per line) and a zero-shot ImageFolder {@code eval/}
 * with one class per annotation: the folder is the hexcode of the first emoji (in
 * {@code openmoji.json} order) with that annotation, {@code classnames.txt} gives the annotation
 * as the readable name, and emoji whose annotations are identical (11 pairs in OpenMoji 17, such
 * as {@code brain} in Unicode and in OpenMoji's extras) are merged into that one class, so no
 * two classes share a name. {@code eval/templates.txt} holds {@value #TEMPLATE_LINES}, the
 * caption forms of the emoji importer (OpenMoji's drawings are meant as a style the model never
 * saw). Each sample's {@code .json} keeps its identity: {@code hexcode}, {@code annotation},
 * {@code tags}, {@code group}, {@code subgroups}, {@code skinTone}, {@code index} (position in
 * {@code openmoji.json}).
 *
 * <p><b>Class names in other languages.</b> Given the emoji cache's {@code emojibase-data}
 * folder and language codes, {@code eval/} also gets {@code classnames.<lang>.txt}: each class
 * folder that is an emoji's code points named by that emoji's CLDR label in the language
 * ({@link EmojiLabels}, matched on the code points, FE0F ignored), and
 * {@code templates.<lang>.txt} ({@code en}: the caption forms; others: {@code {}}). OpenMoji's
 * own extras have no CLDR label and are left out of those files; the shards stay as they are.
 */
public final class OpenMojiImporter implements Importer {

    /** Side of the rendered images when none is given. */
    public static final int DEFAULT_IMAGE_SIZE = 64;

    /** The templates written to {@code eval/templates.txt}, one a line. */
    public static final List<String> TEMPLATES = EmojiImporter.TEMPLATES;
    static final String TEMPLATE_LINES = EmojiImporter.TEMPLATE_LINES;

    private final Path source;
    private final int evalPerClass;
    private final Path emojibase;
    private final List<String> languages;

    /**
     * An importer that writes every drawing to {@code eval/} too.
     *
     * @param source the folder {@code tools/fetch/fetch openmoji} fills
     */
    public OpenMojiImporter(Path source) {
        this(source, Integer.MAX_VALUE);
    }

    /**
     * @param source the folder {@code tools/fetch/fetch openmoji} fills
     * @param evalPerClass drawings per class written to {@code eval/}, {@code >= 0} (0 = no
     *     {@code eval/})
     */
    public OpenMojiImporter(Path source, int evalPerClass) {
        this(source, evalPerClass, null, null);
    }

    /**
     * An import whose {@code eval/} names its classes in other languages too.
     *
     * @param source the folder {@code tools/fetch/fetch openmoji} fills
     * @param evalPerClass drawings per class written to {@code eval/}, {@code >= 0}
     * @param emojibase the {@code emojibase-data} folder of the emoji cache, or null (then no
     *     languages)
     * @param languages emojibase language codes for {@code classnames.<lang>.txt}, or null
     */
    public OpenMojiImporter(Path source, int evalPerClass, Path emojibase,
            List<String> languages) {
        Checks.checkArgument(evalPerClass >= 0, "eval images per class must be >= 0, got %s",
                evalPerClass);
        Checks.checkArgument((emojibase == null) == (languages == null || languages.isEmpty()),
                "give both the emojibase folder and the languages, or neither");
        this.source = source;
        this.evalPerClass = evalPerClass;
        this.emojibase = emojibase;
        this.languages = languages == null ? List.of() : List.copyOf(languages);
    }

    @Override
    public String kind() {
        return "openmoji";
    }

    @Override
    public ImportSummary run(ImportOptions options, ImportListener listener) throws IOException {
        JsonNode data = new ObjectMapper().readTree(Sources.require(source, kind(),
                "data/openmoji.json").toFile());
        Checks.checkArgument(data.isArray(), "%s: openmoji.json is not a JSON array", source);
        Path svgs = Sources.require(source, kind(), "color/svg");
        int side = options.imageSizeOr(DEFAULT_IMAGE_SIZE);
        SVGLoader loader = new SVGLoader();
        Map<String, EmojiLabels> byLanguage = new LinkedHashMap<>();
        for (String lang : languages) {
            byLanguage.put(lang, EmojiLabels.read(emojibase, lang));
        }
        Map<String, String> folderOfAnnotation = new HashMap<>();
        List<String> written = new ArrayList<>();
        try (ImportSink sink = new ImportSink(kind(), options, listener, data.size())) {
            for (int i = 0; i < data.size() && !sink.full(); i++) {
                JsonNode e = data.get(i);
                String hexcode = e.path("hexcode").asText("");
                String annotation = e.path("annotation").asText("").strip();
                if (annotation.isEmpty()) {
                    sink.skip("empty_caption", hexcode, "no annotation");
                    continue;
                }
                Path file = svgs.resolve(hexcode + ".svg");
                if (hexcode.isEmpty() || !Files.isRegularFile(file)) {
                    sink.skip("missing_image", hexcode, file + " does not exist");
                    continue;
                }
                BufferedImage image;
                try {
                    image = render(loader, file, side, options.background());
                } catch (IOException | RuntimeException ex) {
                    sink.skip("corrupt_svg", hexcode, file + ": " + ex.getMessage());
                    continue;
                }
                List<String> tags = new ArrayList<>(split(e.path("tags").asText("")));
                tags.addAll(split(e.path("openmoji_tags").asText("")));
                SplittableRandom random = new SplittableRandom(SplitMix64.derive(options.seed(), i));
                String caption = Sources.withTags(annotation, Sources.someTags(tags, annotation,
                        random.nextInt(4), random));
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("hexcode", hexcode);
                meta.put("annotation", annotation);
                meta.put("tags", tags);
                meta.put("group", e.path("group").asText(""));
                meta.put("subgroups", e.path("subgroups").asText(""));
                meta.put("skinTone", e.path("skintone").asText(""));
                meta.put("index", i);
                sink.write(image, caption, meta);
                written.add(annotation);
                String folder = folderOfAnnotation.computeIfAbsent(annotation, a -> hexcode);
                if (sink.evalCount(folder) < evalPerClass) {
                    sink.writeEval(folder, image);
                    sink.evalClassName(folder, annotation);
                    for (EmojiLabels labels : byLanguage.values()) {
                        EmojiLabels.Label l = labels.get(folder);
                        if (l != null) {
                            sink.evalClassName(labels.language(), folder, l.label());
                        }
                    }
                }
            }
            sink.labels(written);
            sink.evalTemplates(TEMPLATES);
            for (String lang : languages) {
                sink.evalTemplates(lang, lang.equals("en") ? TEMPLATES : List.of("{}"));
            }
            return sink.finish();
        }
    }

    /**
     * Renders an SVG scaled to {@code side x side} (its view box fills the square) over
     * {@code background}.
     *
     * @throws IOException if jsvg cannot parse the file
     */
    static BufferedImage render(SVGLoader loader, Path file, int side, int background)
            throws IOException {
        SVGDocument doc;
        try (InputStream in = Files.newInputStream(file)) {
            doc = loader.load(in, file.toUri(), LoaderContext.createDefault());
        }
        if (doc == null) {
            throw new IOException("jsvg cannot parse it");
        }
        BufferedImage argb = new BufferedImage(side, side, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = argb.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL,
                    RenderingHints.VALUE_STROKE_PURE);
            doc.render(null, g, new ViewBox(0, 0, side, side));
        } finally {
            g.dispose();
        }
        return ImageDecoder.toOpaqueRgb(argb, background);
    }

    private static List<String> split(String commaSeparated) {
        List<String> out = new ArrayList<>();
        for (String t : commaSeparated.split(",")) {
            if (!t.isBlank()) {
                out.add(t.strip());
            }
        }
        return out;
    }
}
