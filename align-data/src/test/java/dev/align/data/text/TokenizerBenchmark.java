package dev.align.data.text;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Prints BPE training time and encode throughput (ours and HuggingFace's through DJL) on
 * synthetic captions; not a test, nothing is asserted. Run from the test classpath:
 * {@code java -cp ... dev.align.data.text.TokenizerBenchmark [captions] [vocabSize]}.
 */
public final class TokenizerBenchmark {

    private TokenizerBenchmark() {}

    /**
     * Runs the measurements.
     *
     * @param args optional number of training captions (default 100,000) and vocabulary size
     *     (default 49,408, CLIP's)
     * @throws Exception if the temporary tokenizer.json cannot be written or read
     */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int vocab = args.length > 1 ? Integer.parseInt(args[1]) : 49_408;
        List<String> corpus = SyntheticCaptions.generate(n, 1);
        BpeTokenizer.train(SyntheticCaptions.generate(5_000, 2), 2_000, 77); // warm-up
        long t0 = System.nanoTime();
        BpeTokenizer bpe = BpeTokenizer.train(corpus, vocab, 77);
        double trainS = (System.nanoTime() - t0) / 1e9;
        System.out.printf("train: %d captions -> vocab %d (%d merges) in %.2f s%n",
                n, bpe.vocabSize(), bpe.merges().size(), trainS);

        List<String> test = SyntheticCaptions.generate(100_000, 3);
        for (int round = 0; round < 3; round++) {
            BpeTokenizer fresh = bpe.withContextLength(77); // empty word cache
            t0 = System.nanoTime();
            fresh.encodeBatch(test);
            double cold = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            fresh.encodeBatch(test);
            double warm = (System.nanoTime() - t0) / 1e9;
            System.out.printf("ours: %,.0f captions/s cold cache, %,.0f captions/s warm (1 thread)%n",
                    test.size() / cold, test.size() / warm);
        }
        Path file = Files.createTempFile("bench-tokenizer", ".json");
        try {
            bpe.save(file);
            try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.load(file, 77)) {
                for (int round = 0; round < 3; round++) {
                    t0 = System.nanoTime();
                    for (String c : test) {
                        hf.encode(c);
                    }
                    double one = (System.nanoTime() - t0) / 1e9;
                    t0 = System.nanoTime();
                    for (int i = 0; i < test.size(); i += 1024) {
                        hf.encodeBatch(test.subList(i, Math.min(test.size(), i + 1024)));
                    }
                    double batch = (System.nanoTime() - t0) / 1e9;
                    System.out.printf("huggingface (DJL): %,.0f captions/s one by one,"
                            + " %,.0f captions/s in batches of 1024%n", test.size() / one, test.size() / batch);
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
