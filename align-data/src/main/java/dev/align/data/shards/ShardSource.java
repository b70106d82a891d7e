package dev.align.data.shards;

import static dev.align.core.Checks.checkArgument;
import static dev.align.core.Checks.checkState;

import dev.align.core.data.ImageTextBatch;
import dev.align.core.data.ImageTextSource;
import dev.align.data.image.ImageDecodeException;
import dev.align.data.image.ImageTransform;
import dev.align.core.SplitMix64;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An endless, seekable {@link ImageTextSource} over WebDataset shards: samples from a
 * {@link ShardReader}, images through an {@link ImageTransform} into {@code [B, 3, S, S]}, captions
 * through a tokenizer into {@code [B, T]}. When an epoch ends the next begins, its shards and
 * samples reshuffled with {@code seed} and the epoch number (as OpenCLIP's
 * {@code set_epoch}); random crops are seeded by {@code seed} and the sample's position, so they
 * do not depend on batch size, thread count or resumption.
 *
 * <p>Position: the number of samples taken from the reader's deterministic stream. That is the
 * number of pairs delivered plus the samples dropped at decoding (pixel data corrupt behind a
 * valid header, counted as {@code corrupt_image}). Counting those too is what lets
 * {@link #seek(long)} replay the stream <em>without decoding a single image</em>: it re-reads the
 * shards (tar parsing, caption and header checks only) and discards {@code position} samples.
 * A source seeked to {@code p} then delivers exactly what an uninterrupted source delivers after
 * {@code p}. After such a seek, {@link #skipped()} holds the reader skips met during the replay
 * and the decoding skips from then on.
 *
 * <p>Seeking back cheaply: the source keeps the encoded samples it has taken since the
 * next-to-last call of {@link #position()} (at most {@value #HISTORY_LIMIT_BYTES} bytes of them),
 * so a seek back to a position it returned lately (the start of a global batch, read again by
 * gradient caching's second pass, even if the position was asked again after the first), serves
 * them again from memory, decoded afresh, without re-reading any shard; their skips are not
 * counted twice. A seek further back (resuming a run) replays the stream as above. Only encoded
 * bytes are kept, never decoded pixels.
 *
 * <p>Tokenizer: any {@code Function<String, long[]>} returning at most {@code contextLength} ids;
 * shorter results are padded with 0, OpenCLIP's pad id. Not thread-safe: one training loop calls
 * it; the parallelism is in the reader's threads and in {@code decodeThreads} threads that decode
 * and transform the images of a batch at the same time. Batches do not depend on the number of
 * either: a batch takes exactly the samples a one-thread source takes (as many as it needs, in
 * stream order, taking more only for those that fail to decode) with the same crops.
 */
public final class ShardSource implements ImageTextSource {

    private static final Logger LOG = LoggerFactory.getLogger(ShardSource.class);
    private static final long CROP = 3;
    /** Encoded bytes kept for cheap seeks back, at most. */
    static final long HISTORY_LIMIT_BYTES = 1L << 30;

    private final ShardReaderOptions options;
    private final ImageTransform transform;
    private final Function<String, long[]> tokenizer;
    private final int contextLength;
    private final ExecutorService decoders;
    private final int decodeThreads;
    private final Map<String, Long> skipped = new TreeMap<>();
    private ShardReader reader;
    private long epoch;
    private long epochSamples;
    private long position;
    /**
     * Samples at stream indices {@code [historyStart, historyStart + kept())}, stored from
     * {@code history[head]} on (the slots before {@code head} are released, compacted lazily).
     */
    private final ArrayList<Sample> history = new ArrayList<>();
    private int head;
    private long historyStart;
    private long historyBytes;
    /** What {@link #position()} returned last; history before it is released at the next call. */
    private long lastMark;
    /** Decoding failures at stream indices below this were counted already. */
    private long countedUpTo;
    private boolean closed;

    /**
     * @param options which shards and how to read them; {@link ShardReaderOptions#seed()} seeds
     *     every shuffle and crop (OpenCLIP trains with shard shuffling and a shuffle buffer on)
     * @param transform image preprocessing, for example
     *     {@code ImageTransform.builder(224).optCrop(Crop.RANDOM_RESIZED).build()}
     * @param tokenizer caption to at most {@code contextLength} token ids
     * @param contextLength tokens per caption T (77 for CLIP)
     */
    public ShardSource(ShardReaderOptions options, ImageTransform transform,
            Function<String, long[]> tokenizer, int contextLength) {
        this(options, transform, tokenizer, contextLength, 1);
    }

    /**
     * As {@link #ShardSource(ShardReaderOptions, ImageTransform, Function, int)}, decoding and
     * transforming each batch's images on {@code decodeThreads} threads (the calling thread among
     * them).
     *
     * @param decodeThreads threads that decode images, {@code >= 1}
     */
    public ShardSource(ShardReaderOptions options, ImageTransform transform,
            Function<String, long[]> tokenizer, int contextLength, int decodeThreads) {
        checkArgument(options != null && transform != null && tokenizer != null,
                "options, transform and tokenizer must not be null");
        checkArgument(contextLength > 0, "contextLength must be > 0, got %s", contextLength);
        checkArgument(decodeThreads >= 1 && decodeThreads <= 256,
                "decodeThreads must be in [1, 256], got %s", decodeThreads);
        this.options = options;
        this.transform = transform;
        this.tokenizer = tokenizer;
        this.contextLength = contextLength;
        this.decodeThreads = decodeThreads;
        AtomicInteger count = new AtomicInteger();
        this.decoders = decodeThreads == 1 ? null : Executors.newFixedThreadPool(
                decodeThreads - 1, r -> {
                    Thread t = new Thread(r, "shard-decoder-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * The next {@code batchSize} pairs: pixels {@code [B, 3, S, S]}, token ids {@code [B, T]},
     * sample keys.
     *
     * @throws IOException if a whole epoch yields no valid sample (the message lists the skips)
     * @throws IllegalArgumentException if the tokenizer returns more than {@code T} ids
     */
    @Override
    public ImageTextBatch next(int batchSize) throws IOException {
        checkState(!closed, "the shard source is closed");
        checkArgument(batchSize > 0, "batchSize must be > 0, got %s", batchSize);
        int s = transform.imageSize();
        int imageValues = 3 * s * s;
        checkArgument((long) batchSize * imageValues <= Integer.MAX_VALUE - 8,
                "batch of %s images of %sx%s does not fit one float array", batchSize, s, s);
        float[] pixels = new float[batchSize * imageValues];   // [B, 3, S, S]
        long[] tokens = new long[batchSize * contextLength];  // [B, T], 0-padded
        List<String> keys = new ArrayList<>(batchSize);
        while (keys.size() < batchSize) {
            // Take exactly the samples still needed; those that fail are replaced next round.
            int base = keys.size();
            int need = batchSize - base;
            Sample[] round = new Sample[need];
            long first = position;
            for (int j = 0; j < need; j++) {
                round[j] = takeSample();
                position++;
            }
            ImageDecodeException[] failed = decode(round, first, pixels, base, imageValues);
            int b = base;
            for (int j = 0; j < need; j++) {
                Sample sample = round[j];
                if (failed[j] != null) {
                    if (first + j >= countedUpTo) {  // not when a seek back decodes it again
                        record(new Skip(SkipReason.of(failed[j].kind()), sample.shard(),
                                sample.key(), failed[j].getMessage()));
                    }
                    continue;
                }
                if (b != base + j) {                 // close the gap a failed sample left
                    System.arraycopy(pixels, (base + j) * imageValues, pixels, b * imageValues,
                            imageValues);
                }
                long[] ids = tokenizer.apply(sample.caption());
                checkArgument(ids != null && ids.length <= contextLength,
                        "tokenizer returned %s ids for the caption of %s, more than "
                                + "contextLength %s", ids == null ? null : ids.length,
                        sample.key(), contextLength);
                System.arraycopy(ids, 0, tokens, b * contextLength, ids.length);
                keys.add(sample.key());
                b++;
            }
            countedUpTo = Math.max(countedUpTo, first + need);
            // Slots from b on hold leftovers of failed or moved samples: the next round, which
            // starts at b, overwrites every one of them.
        }
        return new ImageTextBatch(keys, s, pixels, contextLength, tokens);
    }

    /**
     * Decodes {@code round[j]} (stream index {@code first + j}) into slot {@code base + j},
     * striped over the decode threads; returns each sample's failure or {@code null}.
     */
    private ImageDecodeException[] decode(Sample[] round, long first, float[] pixels, int base,
            int imageValues) throws IOException {
        ImageDecodeException[] failed = new ImageDecodeException[round.length];
        int stripes = Math.min(decodeThreads, round.length);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 1; t < stripes; t++) {
            int stripe = t;
            running.add(decoders.submit(() -> decodeStripe(round, first, pixels, base,
                    imageValues, stripe, stripes, failed)));
        }
        decodeStripe(round, first, pixels, base, imageValues, 0, stripes, failed);
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while decoding images", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                throw new IOException("decoding images failed", cause);
            }
        }
        return failed;
    }

    private void decodeStripe(Sample[] round, long first, float[] pixels, int base,
            int imageValues, int stripe, int stripes, ImageDecodeException[] failed) {
        for (int j = stripe; j < round.length; j += stripes) {
            try {
                transform.apply(round[j].image(), SplitMix64.derive(options.seed(), first + j, CROP),
                        pixels, (base + j) * imageValues);
            } catch (ImageDecodeException e) {
                failed[j] = e;
            }
        }
    }

    /**
     * Samples taken from the stream: pairs delivered plus samples that failed to decode. Also
     * marks the position a later {@link #seek(long)} can return to without re-reading shards
     * (releasing the samples before the previous mark).
     */
    @Override
    public long position() {
        while (historyStart < Math.min(lastMark, position) && kept() > 0) {
            dropOldest();
        }
        lastMark = position;
        return position;
    }

    /** The epoch being read (0 first). */
    public long epoch() {
        return epoch;
    }

    /**
     * Moves to {@code position}: from the samples kept since the last {@link #position()} call
     * when they reach back that far, else by restarting the stream and discarding
     * {@code position} samples without decoding their images.
     *
     * @throws IOException if an epoch yields no valid sample
     */
    @Override
    public void seek(long position) throws IOException {
        checkState(!closed, "the shard source is closed");
        checkArgument(position >= 0, "position must be >= 0, got %s", position);
        if (position >= historyStart && position <= historyStart + kept()) {
            this.position = position;
            return;
        }
        history.clear();
        head = 0;
        historyBytes = 0;
        closeReader();
        epoch = 0;
        epochSamples = 0;
        this.position = 0;
        skipped.clear();
        for (long i = 0; i < position; i++) {
            nextSample();
        }
        this.position = position;
        historyStart = position;
        countedUpTo = position;
        lastMark = position;
    }

    /** Skips so far, by {@link SkipReason#key()}. */
    @Override
    public Map<String, Long> skipped() {
        return Collections.unmodifiableMap(new TreeMap<>(skipped));
    }

    /** Stops the reader threads; idempotent. */
    @Override
    public void close() {
        closed = true;
        closeReader();
        if (decoders != null) {
            decoders.shutdownNow();
        }
    }

    /** The sample at stream index {@link #position}: kept, or read and kept. */
    private Sample takeSample() throws IOException {
        long offset = position - historyStart;
        if (offset < kept()) {
            return history.get(head + (int) offset);
        }
        Sample sample = nextSample();
        history.add(sample);
        historyBytes += bytes(sample);
        // Bound the memory when nobody calls position(): the oldest kept samples go first.
        while (historyBytes > HISTORY_LIMIT_BYTES && historyStart < position) {
            dropOldest();
        }
        return sample;
    }

    private int kept() {
        return history.size() - head;
    }

    private void dropOldest() {
        historyBytes -= bytes(history.get(head));
        history.set(head++, null);
        historyStart++;
        if (head > 1024 && head > history.size() / 2) {   // amortised O(1) per sample
            history.subList(0, head).clear();
            head = 0;
        }
    }

    private static long bytes(Sample sample) {
        long n = 0;
        for (byte[] member : sample.members().values()) {
            n += member.length;
        }
        return n;
    }

    private Sample nextSample() throws IOException {
        while (true) {
            if (reader == null) {
                reader = ShardReader.open(options, epoch, this::count);
                epochSamples = 0;
            }
            if (reader.hasNext()) {
                epochSamples++;
                return reader.next();
            }
            closeReader();
            if (epochSamples == 0) {
                throw new IOException(String.format(
                        "epoch %s of %s shards (first %s) gave no valid sample; skipped: %s",
                        epoch, options.shards().size(), options.shards().get(0), skipped));
            }
            epoch++;
        }
    }

    private void closeReader() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }

    /** Counts a reader skip (the reader has already logged it). */
    private void count(Skip skip) {
        skipped.merge(skip.reason().key(), 1L, Long::sum);
    }

    private void record(Skip skip) {
        count(skip);
        LOG.warn(skip.message());
    }
}
