package dev.align.benchmarks;

import dev.align.data.text.BpeTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The BPE tokenizer on alt-text-like captions (a Zipf-distributed vocabulary of 20,000 made-up
 * words, 4 to 15 words each, seeded): {@code encode} throughput in captions/s with a 49,408-id
 * vocabulary, context 77, and the time to train that vocabulary on 100,000 captions.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true", "-Xmx4g"})
public class TokenizerBench {

    private static final int ENCODE_BATCH = 1000;

    private List<String> corpus;
    private List<String> batch;
    private BpeTokenizer tokenizer;

    @Setup
    public void setUp() {
        corpus = captions(100_000, 7);
        tokenizer = BpeTokenizer.train(corpus, 49_408, 77);
        batch = captions(ENCODE_BATCH, 8);   // other captions: not all words are cached
    }

    /** Encodes 1,000 captions; JMH reports captions/s. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Warmup(iterations = 2, time = 5)
    @Measurement(iterations = 3, time = 5)
    @OperationsPerInvocation(ENCODE_BATCH)
    public long[] encode() {
        return tokenizer.encodeBatch(batch);
    }

    /** Learns a 49,408-id vocabulary from 100,000 captions, once per iteration. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public BpeTokenizer train100k() {
        return BpeTokenizer.train(corpus, 49_408, 77);
    }

    /** Seeded captions of Zipf-distributed made-up words (rank r drawn with weight 1 / r). */
    static List<String> captions(int n, long seed) {
        Random rng = new Random(seed);
        int words = 20_000;
        String[] vocab = new String[words];
        Random wordRng = new Random(0);
        for (int i = 0; i < words; i++) {
            StringBuilder w = new StringBuilder();
            int len = 2 + wordRng.nextInt(9);
            for (int c = 0; c < len; c++) {
                w.append((char) ('a' + (int) (Math.pow(wordRng.nextDouble(), 1.5) * 26)));
            }
            vocab[i] = w.toString();
        }
        double harmonic = Math.log(words) + 0.5772;
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = 4 + rng.nextInt(12);
            StringBuilder caption = new StringBuilder();
            for (int k = 0; k < len; k++) {
                // inverse of the Zipf CDF, approximately: rank = exp(u * H) - 1
                int rank = (int) Math.min(words - 1, Math.exp(rng.nextDouble() * harmonic) - 1);
                caption.append(k == 0 ? "" : " ").append(vocab[rank]);
            }
            out.add(caption.toString());
        }
        return out;
    }
}
