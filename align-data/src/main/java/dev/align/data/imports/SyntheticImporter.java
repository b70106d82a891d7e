package dev.align.data.imports;

import static dev.align.core.Checks.checkArgument;

import dev.align.data.internal.Seeds;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A procedural image-text set that needs no download: one to three coloured shapes on a noisy
 * grey background, with compositional captions in several wordings ("a small red circle in the
 * top left", "a picture of two blue triangles"). 8 colours x 6 shapes x 2 sizes x (5 positions of
 * one object, or two or three objects); the words a model must learn are colour, shape, size,
 * position and count. Sample {@code i} is a pure function of (seed, i): the same seed gives
 * byte-identical shards. Its images go through the normal PNG decode path when trained on.
 *
 * <p>Besides the shards it writes a held-out ImageFolder set, {@code eval/<colour> <shape>/}
 * ({@value #DEFAULT_EVAL_PER_CLASS} single-object images per class by default, drawn from
 * another seed stream), for zero-shot classification among the 48 colour-shape classes, with
 * {@code eval/templates.txt} ({@link #TEMPLATES}). Being independent draws, the samples are
 * written in the order drawn (not shuffled again, see {@link Importer}).
 */
public final class SyntheticImporter implements Importer {

    /** Samples written when no count is given. */
    public static final int DEFAULT_COUNT = 10_000;
    /** Image side when none is given. */
    public static final int DEFAULT_IMAGE_SIZE = 64;
    /** Evaluation images per class when none is given. */
    public static final int DEFAULT_EVAL_PER_CLASS = 20;

    /** Colour words, in the order of {@link #COLOUR_RGB}. */
    public static final List<String> COLOURS = List.of("red", "green", "blue", "yellow",
            "purple", "orange", "white", "black");
    /** Fill of each colour, {@code 0xRRGGBB}; all far from the grey background. */
    public static final int[] COLOUR_RGB = {0xDC2828, 0x28B43C, 0x2846DC, 0xF0DC28, 0x8C3CB4,
        0xF58C1E, 0xFAFAFA, 0x141414};
    /** Shape words. */
    public static final List<String> SHAPES = List.of("square", "circle", "triangle", "cross",
            "diamond", "ring");
    /** Position phrases' canonical names, for a single object. */
    public static final List<String> POSITIONS = List.of("top left", "top right", "bottom left",
            "bottom right", "centre");

    /**
     * The templates written to {@code eval/templates.txt}: how the captions name one object
     * ({@code {}} is a class such as "red circle").
     */
    public static final List<String> TEMPLATES = List.of("a {}", "a small {}", "a large {}",
            "a picture of a {}", "a picture of a small {}", "a picture of a large {}");

    private static final long TRAIN = 1;
    private static final long EVAL = 2;

    private final int evalPerClass;

    /** @param evalPerClass held-out images per colour-shape class, {@code >= 0} (0 = none) */
    public SyntheticImporter(int evalPerClass) {
        checkArgument(evalPerClass >= 0, "eval images per class must be >= 0, got %s",
                evalPerClass);
        this.evalPerClass = evalPerClass;
    }

    @Override
    public String kind() {
        return "synthetic";
    }

    /** The ImageFolder class name of a colour and shape, e.g. {@code "red circle"}. */
    public static String className(int colour, int shape) {
        return COLOURS.get(colour) + " " + SHAPES.get(shape);
    }

    /**
     * One scene: what is drawn and where.
     *
     * @param colour index into {@link #COLOURS}
     * @param shape index into {@link #SHAPES}
     * @param large whether the objects are the large size
     * @param count objects, 1 to 3, all alike
     * @param position index into {@link #POSITIONS} for one object, -1 for several
     * @param boxes each object's square {@code [x, y, side]} in pixels
     */
    public record Scene(int colour, int shape, boolean large, int count, int position,
            List<int[]> boxes) {}

    /**
     * Writes {@code options.limit()} samples (default {@value #DEFAULT_COUNT}) of
     * {@code options.imageSize()} pixels (default {@value #DEFAULT_IMAGE_SIZE}, at least 24).
     */
    @Override
    public ImportSummary run(ImportOptions options, ImportListener listener) throws IOException {
        long count = options.limit() == 0 ? DEFAULT_COUNT : options.limit();
        int s = options.imageSizeOr(DEFAULT_IMAGE_SIZE);
        checkArgument(s >= 24, "synthetic images need an image size >= 24, got %s", s);
        int classes = COLOURS.size() * SHAPES.size();
        // Sample i is an independent draw from (seed, i): the order is random already.
        try (ImportSink sink = new ImportSink(kind(), options.withLimit(count), listener,
                count, false, 0)) {
            for (long i = 0; i < count; i++) {
                SplittableRandom random = new SplittableRandom(Seeds.derive(options.seed(), TRAIN,
                        i));
                Scene scene = scene(random, s, random.nextInt(COLOURS.size()),
                        random.nextInt(SHAPES.size()), pickCount(random));
                BufferedImage image = render(scene, s, random);
                sink.write(image, caption(scene, random), metadata(scene));
            }
            for (int c = 0; c < classes; c++) {
                for (int j = 0; j < evalPerClass; j++) {
                    SplittableRandom random = new SplittableRandom(Seeds.derive(options.seed(),
                            EVAL, c, j));
                    Scene scene = scene(random, s, c / SHAPES.size(), c % SHAPES.size(), 1);
                    sink.writeEval(className(scene.colour(), scene.shape()),
                            render(scene, s, random));
                }
            }
            sink.evalTemplates(TEMPLATES);
            return sink.finish();
        }
    }

    private static int pickCount(SplittableRandom random) {
        int u = random.nextInt(20);
        return u < 12 ? 1 : u < 17 ? 2 : 3;   // 60% one object, 25% two, 15% three
    }

    /** Places {@code count} objects: one in a named position, several in distinct grid cells. */
    static Scene scene(SplittableRandom random, int s, int colour, int shape, int count) {
        boolean large = random.nextBoolean();
        List<int[]> boxes = new ArrayList<>();
        int position = -1;
        if (count == 1) {
            int side = (int) Math.round((large ? 0.40 : 0.22) * s);
            position = random.nextInt(POSITIONS.size());
            int x0;
            int y0;
            if (position == 4) {
                int jitter = s / 16;
                x0 = (s - side) / 2 + random.nextInt(2 * jitter + 1) - jitter;
                y0 = (s - side) / 2 + random.nextInt(2 * jitter + 1) - jitter;
            } else {
                int half = s / 2;
                x0 = (position % 2) * half + random.nextInt(half - side + 1);
                y0 = (position / 2) * half + random.nextInt(half - side + 1);
            }
            boxes.add(new int[] {x0, y0, side});
        } else {
            int cell = s / 3;
            int side = (int) Math.round((large ? 0.28 : 0.22) * s);
            // A margin of one pixel on each side inside the cell keeps neighbours apart.
            int slack = Math.max(0, cell - side - 2);
            List<Integer> cells = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8));
            for (int k = 0; k < count; k++) {
                int c = cells.remove(random.nextInt(cells.size()));
                boxes.add(new int[] {(c % 3) * cell + 1 + random.nextInt(slack + 1),
                    (c / 3) * cell + 1 + random.nextInt(slack + 1), side});
            }
        }
        return new Scene(colour, shape, large, count, position, boxes);
    }

    /** Grey background with per-pixel noise, then the antialiased shapes. */
    static BufferedImage render(Scene scene, int s, SplittableRandom random) {
        BufferedImage image = new BufferedImage(s, s, BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        int grey = 100 + random.nextInt(61);
        for (int i = 0; i < px.length; i++) {
            int v = grey + random.nextInt(25) - 12;
            px[i] = (v << 16) | (v << 8) | v;
        }
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(new Color(COLOUR_RGB[scene.colour()]));
            for (int[] b : scene.boxes()) {
                g.fill(outline(scene.shape(), b[0], b[1], b[2]));
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static java.awt.Shape outline(int shape, double x, double y, double w) {
        return switch (SHAPES.get(shape)) {
            case "square" -> new Rectangle2D.Double(x, y, w, w);
            case "circle" -> new Ellipse2D.Double(x, y, w, w);
            case "triangle" -> polygon(x + w / 2, y, x + w, y + w, x, y + w);
            case "cross" -> {
                Area a = new Area(new Rectangle2D.Double(x, y + w / 3, w, w / 3));
                a.add(new Area(new Rectangle2D.Double(x + w / 3, y, w / 3, w)));
                yield a;
            }
            case "diamond" -> polygon(x + w / 2, y, x + w, y + w / 2, x + w / 2, y + w, x,
                    y + w / 2);
            case "ring" -> {
                Area a = new Area(new Ellipse2D.Double(x, y, w, w));
                double inner = w * 0.55;
                a.subtract(new Area(new Ellipse2D.Double(x + (w - inner) / 2,
                        y + (w - inner) / 2, inner, inner)));
                yield a;
            }
            default -> throw new IllegalStateException("no outline for shape " + shape);
        };
    }

    private static Path2D polygon(double... xy) {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(xy[0], xy[1]);
        for (int i = 2; i < xy.length; i += 2) {
            p.lineTo(xy[i], xy[i + 1]);
        }
        p.closePath();
        return p;
    }

    /** One of several wordings; every wording names colour, shape and count or position. */
    static String caption(Scene scene, SplittableRandom random) {
        String colour = COLOURS.get(scene.colour());
        String shape = SHAPES.get(scene.shape());
        String size = scene.large() ? pick(random, "large", "big") : pick(random, "small",
                "little");
        if (scene.count() == 1) {
            String where = scene.position() == 4 ? pick(random, "in the centre", "in the middle")
                    : pick(random, "in the ", "at the ") + POSITIONS.get(scene.position());
            return switch (random.nextInt(5)) {
                case 0 -> "a " + size + " " + colour + " " + shape + " " + where;
                case 1 -> "a " + colour + " " + shape + " " + where;
                case 2 -> "a picture of a " + size + " " + colour + " " + shape + " " + where;
                case 3 -> where + ", a " + size + " " + colour + " " + shape;
                default -> "a " + size + " " + shape + " coloured " + colour + ", " + where;
            };
        }
        String number = scene.count() == 2 ? "two" : "three";
        String shapes = shape.equals("cross") ? "crosses" : shape + "s";
        return switch (random.nextInt(3)) {
            case 0 -> number + " " + colour + " " + shapes;
            case 1 -> number + " " + size + " " + colour + " " + shapes;
            default -> "a picture of " + number + " " + colour + " " + shapes;
        };
    }

    private static String pick(SplittableRandom random, String a, String b) {
        return random.nextBoolean() ? a : b;
    }

    private static Map<String, Object> metadata(Scene scene) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("colour", COLOURS.get(scene.colour()));
        m.put("shape", SHAPES.get(scene.shape()));
        m.put("size", scene.large() ? "large" : "small");
        m.put("count", scene.count());
        m.put("position", scene.position() < 0 ? null : POSITIONS.get(scene.position()));
        m.put("boxes", scene.boxes());
        return m;
    }
}
