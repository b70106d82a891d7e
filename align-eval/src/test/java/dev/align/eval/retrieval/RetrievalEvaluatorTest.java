package dev.align.eval.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.data.shards.ShardReaderOptions;
import dev.align.data.shards.ShardWriter;
import dev.align.eval.Progress;
import dev.align.eval.embed.EmbeddingResult;
import dev.align.eval.embed.ImageEncoder;
import dev.align.eval.embed.TextEncoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retrieval over shards with analytic fake encoders: every pair found, the cap respected. */
class RetrievalEvaluatorTest {

    private static final int N = 8;

    @TempDir
    Path dir;

    /** Image i is a 1x1 PNG of grey level i; caption "pair i". */
    private final List<byte[]> pngs = new ArrayList<>();

    private ShardReaderOptions shards() throws IOException {
        try (ShardWriter w = new ShardWriter(dir, 3)) {
            for (int i = 0; i < N; i++) {
                BufferedImage image = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
                image.setRGB(0, 0, 0x010101 * i);
                ByteArrayOutputStream png = new ByteArrayOutputStream();
                ImageIO.write(image, "png", png);
                pngs.add(png.toByteArray());
                w.write(String.format("%03d", i), "png", png.toByteArray(), "pair " + i, null);
            }
        }
        return ShardReaderOptions.of(dir + "/{00000..00002}.tar").withShuffleBuffer(4)
                .withShuffleShards(true).withInterleave(2);
    }

    private static float[] oneHot(int i) {
        float[] v = new float[N];
        v[i] = 1;
        return v;
    }

    private final ImageEncoder images = new ImageEncoder() {
        @Override
        public int embeddingDim() {
            return N;
        }

        @Override
        public EmbeddingResult encodeImageFiles(List<Path> files) {
            throw new UnsupportedOperationException();
        }

        @Override
        public EmbeddingResult encodeEncodedImages(List<byte[]> encoded) {
            float[][] out = new float[encoded.size()][];
            for (int k = 0; k < out.length; k++) {
                for (int i = 0; i < pngs.size(); i++) {
                    if (Arrays.equals(pngs.get(i), encoded.get(k))) {
                        out[k] = oneHot(i);
                    }
                }
            }
            return new EmbeddingResult(out, List.of());
        }
    };

    private final TextEncoder texts = new TextEncoder() {
        @Override
        public int embeddingDim() {
            return N;
        }

        @Override
        public float[][] encodeTexts(List<String> captions) {
            return captions.stream().map(c -> oneHot(Integer.parseInt(c.substring(5))))
                    .toArray(float[][]::new);
        }
    };

    @Test
    void readsTheStoredOrderAndStopsAtTheCap() throws IOException {
        ShardReaderOptions options = shards();
        RetrievalReport all = RetrievalEvaluator.evaluate("pairs", options, images, texts,
                Retrieval.DEFAULT_KS, 3, Progress.NONE);
        assertEquals(N, all.images());
        assertEquals(1.0, all.meanRecallAt1());
        RetrievalReport capped = RetrievalEvaluator.evaluate("pairs", options, images, texts,
                Retrieval.DEFAULT_KS, 3, 5, Progress.NONE);
        assertEquals(5, capped.images(), "the first 5 of the stored order");
        assertEquals(5, capped.texts());
        assertEquals(1.0, capped.meanRecallAt1());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RetrievalEvaluator.evaluate("pairs", options, images, texts,
                        Retrieval.DEFAULT_KS, 3, -1, Progress.NONE));
        assertTrue(e.getMessage().contains("maxSamples must be >= 0"), e.getMessage());
    }
}
