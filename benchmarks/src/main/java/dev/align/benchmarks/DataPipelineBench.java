package dev.align.benchmarks;

import dev.align.core.data.ImageTextBatch;
import dev.align.core.io.FileTrees;
import dev.align.data.image.ImageTransform;
import dev.align.data.imports.ImportListener;
import dev.align.data.imports.ImportOptions;
import dev.align.data.imports.ImportSummary;
import dev.align.data.imports.SyntheticImporter;
import dev.align.data.shards.ShardReaderOptions;
import dev.align.data.shards.ShardSource;
import dev.align.data.text.BpeTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The training input pipeline end to end, in samples/s: read WebDataset shards (seeded shard
 * shuffle, 1,000-sample shuffle buffer), decode the PNGs, random resized crop to S x S,
 * normalise, and BPE-tokenise the captions, 256 samples per batch, as {@code DataKind.SHARDS}
 * feeds the trainer. The shards are 2,048 procedural samples drawn at S pixels
 * ({@link SyntheticImporter}), written in setup. {@code threads} reader and decode threads.
 * Compare with what a training step consumes: {@code small} trains about 75 samples/s on 2 cores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true"})
public class DataPipelineBench {

    private static final int BATCH = 256;

    @Param({"32", "64", "224"})
    public int imageSize;

    @Param({"1", "2"})
    public int threads;

    private Path dir;
    private ShardSource source;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("align-data-bench");
        ImportSummary shards = new SyntheticImporter(0).run(ImportOptions.of(dir.resolve("s"))
                .withLimit(2048).withShardSize(256).withImageSize(imageSize), ImportListener.NONE);
        BpeTokenizer tokenizer = BpeTokenizer.load(Path.of(shards.tokenizer()));
        ShardReaderOptions options = ShardReaderOptions.of(shards.shards()).withSeed(1)
                .withShuffleShards(true).withShuffleBuffer(1000).withReaderThreads(threads);
        ImageTransform transform = ImageTransform.builder(imageSize)
                .optCrop(ImageTransform.Crop.RANDOM_RESIZED).build();
        source = new ShardSource(options, transform, tokenizer::encode,
                tokenizer.contextLength(), threads);
    }

    /** One batch of 256; JMH reports samples/s. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public ImageTextBatch readDecodeTransformTokenize() throws IOException {
        ImageTextBatch batch = source.next(BATCH);
        source.position();   // as the trainer does after a step: releases the kept samples
        return batch;
    }

    @TearDown
    public void tearDown() throws IOException {
        source.close();
        FileTrees.delete(dir);
    }
}
