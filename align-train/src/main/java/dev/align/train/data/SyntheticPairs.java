package dev.align.train.data;

import static dev.align.core.Checks.checkArgument;

import dev.align.core.SplitMix64;
import dev.align.core.data.ImageTextBatch;
import dev.align.core.data.ImageTextSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Procedural image-text pairs: a red, green, blue, yellow, magenta or cyan square, disc or cross
 * in one of four quadrants of a noisy grey image, captioned "a red disc top left". Pair
 * {@code i} is a pure function of (seed, i), so the source is endless, seekable in O(1) and
 * identical on every machine. 72 concepts; a dual encoder must learn colour, shape and position
 * words to tell them apart. Token ids: start 1, words 2..15, end-of-text {@code vocab - 1} (the
 * largest id, as the text tower's pooling expects), padding 0.
 */
public final class SyntheticPairs implements ImageTextSource {

    /** Words of the captions, token id = index + 2. */
    public static final List<String> WORDS = List.of("a", "red", "green", "blue", "yellow", "magenta",
            "cyan", "square", "disc", "cross", "top", "bottom", "left", "right");

    private static final float[][] COLOURS = {
        {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 0}, {1, 0, 1}, {0, 1, 1}};
    private static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    private static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private final int imageSize;
    private final int contextLength;
    private final int vocabSize;
    private final long seed;
    private long position;

    /**
     * @param imageSize side of the images (at least 8)
     * @param contextLength tokens per caption (at least 7: start, 5 words, end)
     * @param vocabSize the text tower's vocabulary (at least 17)
     * @param seed fixes every pair
     */
    public SyntheticPairs(int imageSize, int contextLength, int vocabSize, long seed) {
        checkArgument(imageSize >= 8, "synthetic images need imageSize >= 8, got %s", imageSize);
        checkArgument(contextLength >= 7, "synthetic captions need contextLength >= 7, got %s",
                contextLength);
        checkArgument(vocabSize >= WORDS.size() + 3,
                "synthetic captions need vocabSize >= %s, got %s", WORDS.size() + 3, vocabSize);
        this.imageSize = imageSize;
        this.contextLength = contextLength;
        this.vocabSize = vocabSize;
        this.seed = seed;
    }

    /** Number of distinct concepts (colour x shape x quadrant). */
    public static int concepts() {
        return COLOURS.length * 3 * 4;
    }

    @Override
    public ImageTextBatch next(int batchSize) {
        checkArgument(batchSize >= 1, "batchSize must be >= 1, got %s", batchSize);
        int s = imageSize;
        float[] pixels = new float[batchSize * 3 * s * s];
        long[] ids = new long[batchSize * contextLength];
        List<String> keys = new ArrayList<>(batchSize);
        for (int b = 0; b < batchSize; b++) {
            long index = position++;
            SplittableRandom random = new SplittableRandom(mix(seed, index));
            int concept = random.nextInt(concepts());
            draw(concept, random, pixels, b * 3 * s * s);
            caption(concept, ids, b * contextLength);
            keys.add("synthetic-" + index);
        }
        return new ImageTextBatch(keys, s, pixels, contextLength, ids);
    }

    /**
     * Token ids {@code [T]} of the caption of {@code concept} (start, words, end-of-text, padding),
     * as the pairs carry them: what a zero-shot classifier of the concepts encodes.
     */
    public long[] captionIds(int concept) {
        checkArgument(concept >= 0 && concept < concepts(), "concept must be in [0, %s), got %s",
                concepts(), concept);
        long[] ids = new long[contextLength];
        caption(concept, ids, 0);
        return ids;
    }

    /** The caption of a concept, e.g. "a red disc top left". */
    public static String captionText(int concept) {
        int[] words = words(concept);
        StringBuilder sb = new StringBuilder();
        for (int w : words) {
            sb.append(sb.length() == 0 ? "" : " ").append(WORDS.get(w));
        }
        return sb.toString();
    }

    private static int[] words(int concept) {
        int colour = concept % COLOURS.length;
        int shape = (concept / COLOURS.length) % 3;
        int quadrant = concept / (COLOURS.length * 3);
        return new int[] {0, 1 + colour, 7 + shape, quadrant < 2 ? 10 : 11, quadrant % 2 == 0 ? 12 : 13};
    }

    private void caption(int concept, long[] ids, int offset) {
        int[] words = words(concept);
        ids[offset] = 1;
        for (int i = 0; i < words.length; i++) {
            ids[offset + 1 + i] = words[i] + 2L;
        }
        ids[offset + 1 + words.length] = vocabSize - 1;
    }

    private void draw(int concept, SplittableRandom random, float[] out, int offset) {
        int s = imageSize;
        float[] colour = COLOURS[concept % COLOURS.length];
        int shape = (concept / COLOURS.length) % 3;
        int quadrant = concept / (COLOURS.length * 3);
        int half = s / 2;
        int size = Math.max(3, half - 2 - random.nextInt(Math.max(1, half / 4)));
        int x0 = (quadrant % 2) * half + random.nextInt(half - size + 1);
        int y0 = (quadrant / 2) * half + random.nextInt(half - size + 1);
        float grey = 0.35f + 0.3f * (float) random.nextDouble();
        double r = (size - 1) / 2.0;
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                double dx = x - x0 - r;
                double dy = y - y0 - r;
                boolean inside = x >= x0 && x < x0 + size && y >= y0 && y < y0 + size && switch (shape) {
                    case 0 -> true;                                             // square
                    case 1 -> dx * dx + dy * dy <= r * r + 0.5;                 // disc
                    default -> Math.abs(dx) <= size / 6.0 || Math.abs(dy) <= size / 6.0; // cross
                };
                for (int c = 0; c < 3; c++) {
                    float v = inside ? colour[c] : grey + 0.08f * (float) (random.nextDouble() - 0.5);
                    out[offset + (c * s + y) * s + x] = (v - MEAN[c]) / STD[c];
                }
            }
        }
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void seek(long position) {
        checkArgument(position >= 0, "position must be >= 0, got %s", position);
        this.position = position;
    }

    private static long mix(long a, long b) {
        return SplitMix64.mix(a * SplitMix64.GOLDEN_GAMMA + b + 0x632BE59BD9B4E019L);
    }
}
