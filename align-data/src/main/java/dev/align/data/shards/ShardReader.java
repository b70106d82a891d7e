package dev.align.data.shards;

import static dev.align.core.Checks.checkArgument;
import static dev.align.core.Checks.checkState;

import dev.align.data.image.ImageDecodeException;
import dev.align.data.image.ImageDecoder;
import dev.align.data.internal.Seeds;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Streams the samples of one epoch over a list of WebDataset shards, without extracting anything
 * to disk, as WebDataset's {@code tarfile_to_samples} + {@code shuffle} pipeline in OpenCLIP.
 *
 * <p>Order: the shards are read in their listed order, or in an order shuffled with
 * {@code Random(derive(seed, epoch))} when {@link ShardReaderOptions#shuffleShards()} is set.
 * {@link ShardReaderOptions#interleave()} {@code = K} of them are open at a time, in that order:
 * each next sample comes from one of the open shards chosen uniformly at random (seeded the same
 * way), and a shard that ends gives its place to the next shard of the order, as when several
 * WebDataset workers each read their own shard. {@code K = 1} concatenates the shards. The
 * interleaved samples then pass through a shuffle buffer of
 * {@link ShardReaderOptions#shuffleBuffer()} samples (fill the buffer, then emit a uniformly
 * chosen sample and put the next one in its place; drain at the end of the epoch), seeded the
 * same way. Samples are grouped by key as {@link Sample} describes; a key that reappears after
 * another key starts a new sample, as in WebDataset.
 *
 * <p>Parallelism without nondeterminism: every open shard and the next {@code N - 1} shards of
 * the order ({@code N} reader threads) are read ahead at the same time, each by its own thread
 * into its own bounded queue, but the consumer takes from those queues only in the order the
 * seeded choices above dictate, waiting for the chosen shard when it is behind. So the sequence
 * of samples (and of skip events) is the same for <em>any</em> number of threads and any timing;
 * threads only change how far ahead the reading runs. Skips are counted and logged when the
 * consumer reaches them, so the counts too depend only on how far the iteration went.
 *
 * <p>Bad input never ends the iteration: every problem listed in {@link SkipReason} is skipped,
 * counted in {@link #skipped()}, passed to the optional listener and logged as a
 * {@link System.Logger.Level#WARNING} that names the shard and the key. Images are checked from
 * their header only (format known, size within the pixel limit); pixel data is not decoded here,
 * so a sample whose pixel data is corrupt behind a valid header passes and fails later, at
 * decoding. Not thread-safe: one consumer thread iterates.
 */
public final class ShardReader implements Iterator<Sample>, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ShardReader.class.getName());
    private static final int QUEUE_CAPACITY = 64;
    private static final long SHARD_ORDER = 1;
    private static final long SAMPLE_ORDER = 2;
    private static final long INTERLEAVE_ORDER = 3;

    private final ShardReaderOptions options;
    private final List<String> order;
    private final Consumer<Skip> listener;
    private final ImageDecoder decoder;
    private final ExecutorService pool;
    /** The shards samples are drawn from now, at most {@code interleave}. */
    private final List<ShardTask> open = new ArrayList<>();
    /** Shards being read ahead, next in the order after the open ones. */
    private final Deque<ShardTask> ahead = new ArrayDeque<>();
    private final Random interleaveRng;
    private final Random bufferRng;
    private final List<Sample> buffer = new ArrayList<>();
    private final Map<String, Long> skipped = new TreeMap<>();
    private int nextShard;
    private boolean exhausted;
    private boolean closed;
    private Sample next;

    private ShardReader(ShardReaderOptions options, long epoch, Consumer<Skip> listener) {
        this.options = options;
        this.listener = listener;
        this.decoder = new ImageDecoder(options.maxImagePixels(), ImageDecoder.WHITE);
        List<String> shards = new ArrayList<>(options.shards());
        if (options.shuffleShards()) {
            Collections.shuffle(shards, new Random(Seeds.derive(options.seed(), epoch,
                    SHARD_ORDER)));
        }
        this.order = List.copyOf(shards);
        this.bufferRng = new Random(Seeds.derive(options.seed(), epoch, SAMPLE_ORDER));
        this.interleaveRng = new Random(Seeds.derive(options.seed(), epoch, INTERLEAVE_ORDER));
        // One thread per shard in flight: a parser blocks on its full queue until the consumer
        // takes from it, so every started shard needs a thread of its own.
        int inFlight = inFlightLimit(options);
        AtomicInteger threadCount = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(inFlight, r -> {
            Thread t = new Thread(r, "shard-reader-" + threadCount.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < inFlight && nextShard < order.size(); i++) {
            submitNext();
        }
    }

    /** Shards open or read ahead at most: the interleaved ones plus {@code N - 1} ahead. */
    private static int inFlightLimit(ShardReaderOptions options) {
        return options.interleave() + options.readerThreads() - 1;
    }

    /**
     * Starts reading epoch {@code epoch} (which seeds the shuffles) of the shards.
     *
     * @param epoch pass index, {@code >= 0}; each epoch has its own shard and sample order
     */
    public static ShardReader open(ShardReaderOptions options, long epoch) {
        return open(options, epoch, skip -> {});
    }

    /**
     * As {@link #open(ShardReaderOptions, long)}, also calling {@code onSkip} (on the consumer
     * thread) for every skip, in stream order.
     */
    public static ShardReader open(ShardReaderOptions options, long epoch,
            Consumer<Skip> onSkip) {
        checkArgument(options != null && onSkip != null, "options and onSkip must not be null");
        checkArgument(epoch >= 0, "epoch must be >= 0, got %s", epoch);
        return new ShardReader(options, epoch, onSkip);
    }

    /** The shards in the order this epoch reads them. */
    public List<String> shardOrder() {
        return order;
    }

    /** Skips so far in this epoch, by {@link SkipReason#key()}, sorted by name. */
    public Map<String, Long> skipped() {
        return Collections.unmodifiableMap(new TreeMap<>(skipped));
    }

    /** Whether another sample remains in this epoch (reads ahead as needed). */
    @Override
    public boolean hasNext() {
        checkState(!closed, "the shard reader is closed");
        if (next == null) {
            next = advance();
        }
        return next != null;
    }

    /** The next sample of this epoch. */
    @Override
    public Sample next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more samples in this epoch");
        }
        Sample s = next;
        next = null;
        return s;
    }

    /** Stops the reader threads; idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            pool.shutdownNow();
            open.clear();
            ahead.clear();
            buffer.clear();
        }
    }

    private Sample advance() {
        if (options.shuffleBuffer() <= 1) {
            return pull();
        }
        while (!exhausted && buffer.size() < options.shuffleBuffer()) {
            Sample s = pull();
            if (s == null) {
                exhausted = true;
            } else {
                buffer.add(s);
            }
        }
        if (buffer.isEmpty()) {
            return null;
        }
        int k = bufferRng.nextInt(buffer.size());
        int last = buffer.size() - 1;
        Collections.swap(buffer, k, last);
        return buffer.remove(last);
    }

    /**
     * The next valid sample of the interleaved shards, or {@code null} at the end of the epoch.
     */
    private Sample pull() {
        while (!open.isEmpty()) {
            // With one open shard there is no choice to make (and no random number drawn).
            int slot = open.size() == 1 ? 0 : interleaveRng.nextInt(open.size());
            ShardTask task = open.get(slot);
            Event event;
            try {
                event = task.queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading " + task.shard, e);
            }
            if (event == Event.END) {
                if (nextShard < order.size()) {
                    submitNext();                        // open is full here: it goes ahead
                }
                if (ahead.isEmpty()) {
                    open.remove(slot);
                } else {
                    open.set(slot, ahead.removeFirst());  // the next shard takes the same slot
                }
            } else if (event.skip != null) {
                record(event.skip);
            } else {
                return event.sample;
            }
        }
        return null;
    }

    private void record(Skip skip) {
        skipped.merge(skip.reason().key(), 1L, Long::sum);
        LOG.log(System.Logger.Level.WARNING, skip.message());
        listener.accept(skip);
    }

    private void submitNext() {
        String shard = order.get(nextShard++);
        ShardTask task = new ShardTask(shard, new ArrayBlockingQueue<>(QUEUE_CAPACITY));
        if (open.size() < options.interleave()) {
            open.add(task);
        } else {
            ahead.addLast(task);
        }
        pool.execute(() -> new ShardParser(shard, task.queue, options, decoder).run());
    }

    private record ShardTask(String shard, BlockingQueue<Event> queue) {}

    /** A sample, a skip, or the end of a shard. */
    private record Event(Sample sample, Skip skip) {
        static final Event END = new Event(null, null);
    }

    /** Reads one shard on a reader thread and puts its events into the shard's queue. */
    private static final class ShardParser {
        private final String shard;
        private final BlockingQueue<Event> queue;
        private final ShardReaderOptions options;
        private final ImageDecoder decoder;

        ShardParser(String shard, BlockingQueue<Event> queue, ShardReaderOptions options,
                ImageDecoder decoder) {
            this.shard = shard;
            this.queue = queue;
            this.options = options;
            this.decoder = decoder;
        }

        void run() {
            try {
                try {
                    parse();
                } catch (RuntimeException | Error e) {
                    // A decoder bug must not leave the consumer waiting for an END forever.
                    skip(SkipReason.TRUNCATED_SHARD, "", "reader failed, rest of shard lost: " + e);
                }
                queue.put(Event.END);
            } catch (InterruptedException e) {
                // The reader was closed: stop quietly.
            }
        }

        private void parse() throws InterruptedException {
            InputStream file;
            try {
                file = Files.newInputStream(Path.of(shard));
            } catch (IOException | RuntimeException e) {
                skip(SkipReason.UNREADABLE_SHARD, "", "cannot open: " + e);
                return;
            }
            String key = null;
            Map<String, byte[]> members = null;
            try (TarArchiveInputStream tar = new TarArchiveInputStream(
                    new BufferedInputStream(file, 1 << 16), "UTF-8")) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    if (!entry.isFile()) {
                        continue; // directories, links, devices: not sample members
                    }
                    String name = entry.getName();
                    if (isUnsafe(name)) {
                        skip(SkipReason.UNSAFE_PATH, name,
                                "member name is absolute or contains '..'");
                        continue;
                    }
                    int slash = name.lastIndexOf('/');
                    int dot = name.indexOf('.', slash + 1);
                    if (dot <= slash + 1 || dot == name.length() - 1) {
                        skip(SkipReason.NO_EXTENSION, name, "member name is not KEY.EXT");
                        continue;
                    }
                    String memberKey = name.substring(0, dot);
                    String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
                    if (entry.getSize() > options.maxMemberBytes()) {
                        skip(SkipReason.OVERSIZED_MEMBER, memberKey, "member " + name + " has "
                                + entry.getSize() + " bytes, above the limit of "
                                + options.maxMemberBytes());
                        continue;
                    }
                    byte[] data = tar.readAllBytes();
                    if (data.length != entry.getSize()) {
                        throw new IOException("member " + name + " has " + data.length
                                + " of its " + entry.getSize() + " bytes");
                    }
                    if (key != null && !key.equals(memberKey)) {
                        emit(key, members);
                        key = null;
                    }
                    if (key == null) {
                        key = memberKey;
                        members = new HashMap<>();
                    }
                    if (members.putIfAbsent(ext, data) != null) {
                        skip(SkipReason.DUPLICATE_MEMBER, key,
                                "second member with extension " + ext + " ignored");
                    }
                }
            } catch (IOException | RuntimeException e) {
                // commons-compress reports a cut file as an IOException ("Truncated TAR
                // archive") and some broken headers as IllegalArgumentException.
                skip(SkipReason.TRUNCATED_SHARD, key == null ? "" : key,
                        "shard unreadable from here on, dropping the sample being read: " + e);
                return;
            }
            if (!endsWithEofMarker()) {
                // commons-compress treats a file cut inside a header as a normal end; the
                // missing end-of-archive blocks are what tell the two apart.
                skip(SkipReason.TRUNCATED_SHARD, key == null ? "" : key,
                        "shard ends without the tar end-of-archive blocks, dropping the sample "
                                + "being read");
                return;
            }
            if (key != null) {
                emit(key, members);
            }
        }

        /**
         * Whether the file ends as every complete tar does: a length that is a multiple of the
         * 512-byte block, and two zero blocks (the end-of-archive marker, possibly followed by
         * zero padding to the record size).
         */
        private boolean endsWithEofMarker() {
            try (FileChannel channel = FileChannel.open(Path.of(shard), StandardOpenOption.READ)) {
                long size = channel.size();
                if (size % 512 != 0 || size < 1024) {
                    return false;
                }
                ByteBuffer tail = ByteBuffer.allocate(1024);
                while (tail.hasRemaining()) {
                    if (channel.read(tail, size - 1024 + tail.position()) < 0) {
                        return false;
                    }
                }
                for (byte b : tail.array()) {
                    if (b != 0) {
                        return false;
                    }
                }
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        private static boolean isUnsafe(String name) {
            if (name.startsWith("/") || name.startsWith("\\") || name.matches("^[A-Za-z]:.*")) {
                return true;
            }
            for (String part : name.split("[/\\\\]")) {
                if (part.equals("..")) {
                    return true;
                }
            }
            return false;
        }

        /** Validates a complete group and emits it as a sample or a skip. */
        private void emit(String key, Map<String, byte[]> members) throws InterruptedException {
            Sample sample = new Sample(shard, key, members);
            byte[] image = sample.image();
            if (image == null) {
                skip(SkipReason.MISSING_IMAGE, key, "members " + members.keySet()
                        + " include none of " + Sample.IMAGE_EXTENSIONS);
                return;
            }
            byte[] captionBytes = members.get(Sample.CAPTION_EXTENSION);
            if (captionBytes == null) {
                skip(SkipReason.MISSING_CAPTION, key, "members " + members.keySet()
                        + " include no " + Sample.CAPTION_EXTENSION);
                return;
            }
            String caption;
            try {
                caption = Sample.decodeUtf8(captionBytes);
            } catch (CharacterCodingException e) {
                skip(SkipReason.INVALID_UTF8, key, "caption of " + captionBytes.length
                        + " bytes is not valid UTF-8: " + e);
                return;
            }
            if (caption.isBlank()) {
                skip(SkipReason.EMPTY_CAPTION, key, "caption is empty or only whitespace");
                return;
            }
            try {
                decoder.readSize(image);
            } catch (ImageDecodeException e) {
                skip(SkipReason.of(e.kind()), key, sample.imageExtension() + " image: "
                        + e.getMessage());
                return;
            }
            queue.put(new Event(sample, null));
        }

        private void skip(SkipReason reason, String key, String detail)
                throws InterruptedException {
            queue.put(new Event(null, new Skip(reason, shard, key, detail)));
        }
    }
}
