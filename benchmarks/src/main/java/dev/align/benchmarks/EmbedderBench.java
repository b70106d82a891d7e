package dev.align.benchmarks;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.align.data.text.BpeTokenizer;
import dev.align.eval.embed.ClipEmbedder;
import dev.align.models.clip.ClipModel;
import dev.align.models.config.ClipConfig;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The public embedding API end to end, no gradient: {@link ClipEmbedder#encodeImages} of
 * {@code B} decoded images already at the model's size (so the transform only normalises) and
 * {@link ClipEmbedder#encodeTexts} of {@code B} captions of 8 to 20 words (tokenised each call),
 * in one batch of {@code B}, through the serving path ({@link dev.align.models.clip.InferenceEncoder};
 * texts encoded up to the longest caption of the batch). Time per call of {@code B} inputs;
 * compare with {@link EmbedBench}, the training path's towers alone on ready tensors. The
 * side-by-side run against the PyTorch peer is {@code bench/serving} ({@link ServingBench}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=2",
        "-Dai.djl.pytorch.num_interop_threads=1"})
public class EmbedderBench {

    private static final String[] WORDS = {"a", "photo", "of", "the", "red", "green", "blue",
        "small", "large", "disc", "square", "cross", "on", "left", "right", "top", "bottom",
        "dog", "cat", "car", "tree", "house", "near", "with", "and"};

    @Param({"small", "ViT-B-32"})
    public String preset;

    @Param({"1", "8", "64", "256"})
    public int batch;

    private NDManager manager;
    private ClipEmbedder embedder;
    private List<BufferedImage> images;
    private List<String> captions;

    @Setup
    public void setUp() {
        ClipConfig c = ClipConfig.preset(preset);
        manager = NDManager.newBaseManager();
        ClipModel model = ClipModel.create(c, manager, DataType.FLOAT32, 0);
        SplittableRandom rnd = new SplittableRandom(4);
        captions = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            StringBuilder s = new StringBuilder();
            int n = rnd.nextInt(8, 21);
            for (int w = 0; w < n; w++) {
                s.append(w == 0 ? "" : " ").append(WORDS[rnd.nextInt(WORDS.length)]);
            }
            captions.add(s.toString());
        }
        BpeTokenizer tokenizer = BpeTokenizer.train(captions, 600, c.text().contextLength());
        embedder = ClipEmbedder.of(model, tokenizer, batch);
        int size = c.vision().imageSize();
        images = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    img.setRGB(x, y, rnd.nextInt(1 << 24));
                }
            }
            images.add(img);
        }
    }

    @Benchmark
    public float images(MachineLoad load) {
        return embedder.encodeImages(images)[0][0];
    }

    @Benchmark
    public float texts(MachineLoad load) {
        return embedder.encodeTexts(captions)[0][0];
    }

    @TearDown
    public void tearDown() {
        embedder.close();
        manager.close();
    }
}
