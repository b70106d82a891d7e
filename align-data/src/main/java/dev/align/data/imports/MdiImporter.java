package dev.align.data.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.weisj.jsvg.parser.SVGLoader;
import dev.align.core.Checks;
import dev.align.data.internal.Seeds;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Material Design Icons 7.4.47 (npm {@code @mdi/svg@7.4.47}, Apache-2.0): 7,447 monochrome
 * 24x24 SVG icons rendered in Java with jsvg, captioned with the icon's name in words and some of
 * its aliases and category tags from {@code meta.json} ("account network outline, user network
 * outline, account / user"). Clean, literal captions of simple drawings: a clean source for a
 * curation pool, or a high-quality set for a DFN filter network.
 *
 * <p>Source layout ({@code tools/fetch/fetch mdi}): {@code meta.json} (an array of {@code name},
 * {@code aliases}, {@code tags}, {@code codepoint}, {@code deprecated}, ...) and
 * {@code svg/<name>.svg}. Icons are visited in {@code meta.json}'s order. Missing SVGs are skipped
 * as {@code missing_image}, SVGs jsvg cannot parse or render as {@code corrupt_svg}, entries
 * without a name as {@code empty_caption}. Black on the background colour (default white).
 */
public final class MdiImporter implements Importer {

    /** Side of the rendered images when none is given. */
    public static final int DEFAULT_IMAGE_SIZE = 64;

    private final Path source;

    /** @param source the folder {@code tools/fetch/fetch mdi} fills */
    public MdiImporter(Path source) {
        this.source = source;
    }

    @Override
    public String kind() {
        return "mdi";
    }

    @Override
    public ImportSummary run(ImportOptions options, ImportListener listener) throws IOException {
        JsonNode meta = new ObjectMapper().readTree(Sources.require(source, kind(), "meta.json")
                .toFile());
        Checks.checkArgument(meta.isArray(), "%s: meta.json is not a JSON array", source);
        Path svgs = Sources.require(source, kind(), "svg");
        int side = options.imageSizeOr(DEFAULT_IMAGE_SIZE);
        SVGLoader loader = new SVGLoader();
        try (ImportSink sink = new ImportSink(kind(), options, listener, meta.size())) {
            for (int i = 0; i < meta.size() && !sink.full(); i++) {
                JsonNode e = meta.get(i);
                String name = e.path("name").asText("").strip();
                if (name.isEmpty()) {
                    sink.skip("empty_caption", "entry " + i, "no name");
                    continue;
                }
                Path file = svgs.resolve(name + ".svg");
                if (!Files.isRegularFile(file) || !file.normalize().startsWith(svgs.normalize())) {
                    sink.skip("missing_image", name, file + " does not exist");
                    continue;
                }
                BufferedImage image;
                try {
                    image = OpenMojiImporter.render(loader, file, side, options.background());
                } catch (IOException | RuntimeException ex) {
                    sink.skip("corrupt_svg", name, file + ": " + ex.getMessage());
                    continue;
                }
                String label = words(name);
                List<String> aliases = texts(e.path("aliases"));
                List<String> tags = texts(e.path("tags"));
                List<String> extra = new ArrayList<>();
                aliases.forEach(a -> extra.add(words(a)));
                tags.forEach(t -> extra.add(t.toLowerCase(Locale.ROOT)));
                SplittableRandom random = new SplittableRandom(Seeds.derive(options.seed(), i));
                String caption = Sources.withTags(label, Sources.someTags(extra, label,
                        random.nextInt(4), random));
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("name", name);
                out.put("label", label);
                out.put("aliases", aliases);
                out.put("tags", tags);
                out.put("codepoint", e.path("codepoint").asText(""));
                out.put("deprecated", e.path("deprecated").asBoolean(false));
                sink.write(image, caption, out);
            }
            return sink.finish();
        }
    }

    /** An icon name in words: {@code "account-network-outline"} becomes "account network outline". */
    static String words(String name) {
        return name.replace('-', ' ').replaceAll("\\s+", " ").strip();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> {
            String t = n.asText("").strip();
            if (!t.isEmpty()) {
                out.add(t);
            }
        });
        return out;
    }
}
