package dev.align.train.data;

import static dev.align.core.Checks.checkArgument;

import dev.align.core.data.ImageTextBatch;
import dev.align.core.data.ImageTextSource;
import dev.align.data.image.ImageTransform;
import dev.align.data.shards.ShardReaderOptions;
import dev.align.data.shards.ShardSource;
import dev.align.data.text.Tokenizer;
import dev.align.models.config.ClipConfig;
import dev.align.models.config.TextConfig;
import dev.align.models.io.ModelBundle;
import dev.align.train.Seeds;
import dev.align.train.config.DataSpec;
import dev.align.train.config.TrainConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Opens the data source a run config names. */
public final class DataSources {

    private DataSources() {}

    /**
     * The source of {@code cfg.data()}, seeded by the run's data seed. For shards: the shard
     * order, their interleaving, the shuffle buffer and random crops all follow that seed, and
     * the source is seekable, so a resumed run reads exactly what an uninterrupted one would.
     *
     * @throws IllegalArgumentException if the tokenizer does not fit the model's text tower (more
     *     ids than {@code text.vocabSize}, or a longer context than {@code text.contextLength})
     * @throws UncheckedIOException if the tokenizer cannot be read
     */
    public static ImageTextSource open(TrainConfig cfg) {
        ClipConfig model = cfg.model().resolve();
        long seed = new Seeds(cfg.seed()).data();
        return switch (cfg.data().kind()) {
            case SYNTHETIC -> new SyntheticPairs(model.vision().imageSize(),
                    model.text().contextLength(), model.text().vocabSize(), seed);
            case SHARDS -> {
                try {
                    yield shards(cfg.data(), model, seed);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    private static ImageTextSource shards(DataSpec spec, ClipConfig model, long seed)
            throws IOException {
        Tokenizer tokenizer = tokenizer(Path.of(spec.tokenizer()), model.text());
        ShardReaderOptions options = ShardReaderOptions.of(spec.shards());
        options = options.withSeed(seed).withShuffleShards(spec.shuffleShards())
                .withShuffleBuffer(spec.shuffleBuffer()).withInterleave(spec.interleave())
                .withReaderThreads(Math.min(spec.workers(), options.shards().size()));
        ImageTransform transform = ImageTransform.builder(model.vision().imageSize())
                .optCrop(spec.crop()).optScale(spec.cropScaleMin(), spec.cropScaleMax()).build();
        ShardSource source = new ShardSource(options, transform, tokenizer::encode,
                model.text().contextLength(), spec.workers());
        return tokenizer instanceof AutoCloseable closeable
                ? new ClosingSource(source, closeable) : source;
    }

    /**
     * Loads the run's {@code tokenizer.json} by the one rule every model folder reader uses
     * ({@link ModelBundle#loadTokenizer}): it must fit the model's text tower.
     *
     * @throws IllegalArgumentException naming both numbers when it does not fit
     */
    public static Tokenizer tokenizer(Path file, TextConfig text) throws IOException {
        checkArgument(Files.isRegularFile(file), "data.tokenizer %s does not exist (./align data "
                + "import writes tokenizer.json beside the shards)", file);
        return ModelBundle.loadTokenizer(file, text);
    }

    /** A source that also closes its native tokenizer. */
    private record ClosingSource(ImageTextSource source, AutoCloseable tokenizer)
            implements ImageTextSource {

        @Override
        public ImageTextBatch next(int batchSize) throws IOException {
            return source.next(batchSize);
        }

        @Override
        public long position() {
            return source.position();
        }

        @Override
        public void seek(long position) throws IOException {
            source.seek(position);
        }

        @Override
        public Map<String, Long> skipped() {
            return source.skipped();
        }

        @Override
        public void close() throws IOException {
            try {
                source.close();
            } finally {
                try {
                    tokenizer.close();
                } catch (Exception e) {
                    throw new IOException("closing the tokenizer failed", e);
                }
            }
        }
    }
}
