package dev.align.data.imports;

import dev.align.data.image.ImageDecodeException;
import dev.align.data.image.ImageDecoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Openclipart 0.18 (Debian {@code openclipart-png} and {@code openclipart-svg}, public domain):
 * 8,121 drawings captioned with the noisy title, description and keywords of their SVG's
 * {@code <metadata>} (Dublin Core {@code dc:title}, {@code dc:description},
 * {@code dc:subject/rdf:Bag/rdf:li}): web-like alt text, names of authors and files included, a
 * stand-in for the pools ALIGN trains on.
 *
 * <p>Source layout ({@code tools/fetch/fetch openclipart}):
 * {@code usr/share/openclipart/png/<category>/.../<name>.png} and the SVG at the same path
 * under {@code svg/}. Some PNGs are huge (up to 20,990 x 29,700): they are decoded with
 * subsampling ({@link ImageDecoder#decodeSubsampled}) under a pixel limit of
 * {@value #MAX_SOURCE_PIXELS}, then scaled so the longer side is at most the image size (default
 * {@value #DEFAULT_IMAGE_SIZE}). Skips: {@code missing_metadata} (no SVG twin or no
 * {@code <metadata>}), {@code empty_caption}, {@code bad_metadata} (unparsable XML),
 * {@code corrupt_image}, {@code too_large}. The shards are in a seeded random order (see
 * {@link Importer}); each {@code .json} keeps {@code path} (below {@code png/}),
 * {@code category} (its folder), {@code title}, {@code description}, {@code keywords} and
 * {@code index} (position in the sorted list of PNGs). No {@code eval/}: the 22 top folders are
 * broad topics ({@code animals}, {@code signs_and_symbols}, {@code special}, {@code unsorted}),
 * not classes a prompt could name.
 */
public final class OpenClipartImporter implements Importer {

    /** Longer side of the written images when none is given. */
    public static final int DEFAULT_IMAGE_SIZE = 256;
    /** Pixel limit of the source PNGs (the largest has 623 million). */
    public static final long MAX_SOURCE_PIXELS = 1_000_000_000L;

    private static final String ROOT = "usr/share/openclipart/";
    private static final String DC = "http://purl.org/dc/elements/1.1/";
    private static final int MAX_CAPTION_CHARS = 400;

    private final Path source;

    /** @param source the folder {@code tools/fetch/fetch openclipart} fills */
    public OpenClipartImporter(Path source) {
        this.source = source;
    }

    @Override
    public String kind() {
        return "openclipart";
    }

    /** What an SVG's metadata says about the drawing. */
    record Metadata(String title, String description, List<String> keywords) {

        /** "title. description. keyword, keyword", leaving out blanks and repeats. */
        String caption() {
            List<String> parts = new ArrayList<>();
            if (!title.isBlank()) {
                parts.add(title.strip());
            }
            if (!description.isBlank() && !description.strip().equalsIgnoreCase(title.strip())) {
                parts.add(description.strip());
            }
            List<String> kw = keywords.stream().filter(k -> !k.equalsIgnoreCase("unsorted"))
                    .toList();
            if (!kw.isEmpty()) {
                parts.add(String.join(", ", kw));
            }
            String text = String.join(". ", parts).replaceAll("\\s+", " ").strip();
            return text.length() <= MAX_CAPTION_CHARS ? text : text.substring(0, MAX_CAPTION_CHARS);
        }
    }

    @Override
    public ImportSummary run(ImportOptions options, ImportListener listener) throws IOException {
        Path pngRoot = Sources.require(source, kind(), ROOT + "png");
        Path svgRoot = Sources.require(source, kind(), ROOT + "svg");
        List<Path> pngs;
        try (Stream<Path> files = Files.walk(pngRoot)) {
            pngs = files.filter(p -> p.getFileName().toString().endsWith(".png")
                    && Files.isRegularFile(p)).sorted().toList();
        }
        int maxSide = options.imageSizeOr(DEFAULT_IMAGE_SIZE);
        ImageDecoder decoder = new ImageDecoder(MAX_SOURCE_PIXELS, options.background());
        XMLInputFactory xml = xmlFactory();
        try (ImportSink sink = new ImportSink(kind(), options, listener, pngs.size())) {
            for (int i = 0; i < pngs.size() && !sink.full(); i++) {
                Path png = pngs.get(i);
                String relative = pngRoot.relativize(png).toString().replace('\\', '/');
                Path svg = svgRoot.resolve(relative.substring(0, relative.length() - 4) + ".svg");
                if (!Files.isRegularFile(svg)) {
                    sink.skip("missing_metadata", relative, "no SVG twin " + svg);
                    continue;
                }
                Metadata metadata;
                try {
                    metadata = metadata(xml, Files.readAllBytes(svg));
                } catch (XMLStreamException | RuntimeException e) {
                    sink.skip("bad_metadata", relative, svg + ": " + e.getMessage());
                    continue;
                }
                if (metadata == null) {
                    sink.skip("missing_metadata", relative, svg + " has no <metadata>");
                    continue;
                }
                String caption = metadata.caption();
                if (caption.isBlank()) {
                    sink.skip("empty_caption", relative, "title, description and keywords are "
                            + "all empty");
                    continue;
                }
                BufferedImage image;
                try {
                    image = Sources.fit(decoder.decodeSubsampled(Files.readAllBytes(png),
                            maxSide), maxSide);
                } catch (ImageDecodeException e) {
                    sink.skip(e.kind() == ImageDecodeException.Kind.TOO_LARGE ? "too_large"
                            : "corrupt_image", relative, e.getMessage());
                    continue;
                }
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("path", relative);
                int slash = relative.lastIndexOf('/');
                meta.put("category", slash < 0 ? "" : relative.substring(0, slash));
                meta.put("title", metadata.title());
                meta.put("description", metadata.description());
                meta.put("keywords", metadata.keywords());
                meta.put("index", i);
                sink.write(image, caption, meta);
            }
            return sink.finish();
        }
    }

    /** A StAX factory that expands internal entities but never fetches external ones. */
    static XMLInputFactory xmlFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        // Illustrator exports declare entities in an internal DTD subset (xmlns="&ns_svg;"), so
        // DTDs stay on; external DTDs resolve to nothing, and the JDK caps entity expansion.
        f.setProperty(XMLInputFactory.SUPPORT_DTD, true);
        f.setXMLResolver((publicId, systemId, base, ns) -> InputStream.nullInputStream());
        return f;
    }

    /**
     * The Work's title, description and keywords from an SVG's {@code <metadata>} (the titles of
     * its creator, publisher or rights agents are not the drawing's), or {@code null} without a
     * metadata element. Stops reading at the end of the metadata.
     */
    static Metadata metadata(XMLInputFactory factory, byte[] svg) throws XMLStreamException {
        XMLStreamReader r = factory.createXMLStreamReader(new ByteArrayInputStream(svg));
        try {
            Deque<String> path = new ArrayDeque<>();
            boolean seen = false;
            StringBuilder text = new StringBuilder();
            String title = "";
            String description = "";
            Set<String> keywords = new LinkedHashSet<>();
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    path.push(r.getLocalName());
                    seen |= r.getLocalName().equals("metadata");
                    text.setLength(0);
                } else if (event == XMLStreamConstants.CHARACTERS
                        || event == XMLStreamConstants.CDATA) {
                    text.append(r.getText());
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    String name = path.pop();
                    String parent = path.peek();
                    boolean dc = DC.equals(r.getNamespaceURI());
                    if (dc && "Work".equals(parent) && name.equals("title")) {
                        title = text.toString().strip();
                    } else if (dc && "Work".equals(parent) && name.equals("description")) {
                        description = text.toString().strip();
                    } else if (name.equals("li") && path.contains("subject")) {
                        String k = text.toString().strip();
                        if (!k.isEmpty()) {
                            keywords.add(k);
                        }
                    } else if (name.equals("metadata")) {
                        return new Metadata(title, description, List.copyOf(keywords));
                    }
                    text.setLength(0);
                }
            }
            return seen ? new Metadata(title, description, List.copyOf(keywords)) : null;
        } finally {
            r.close();
        }
    }
}
