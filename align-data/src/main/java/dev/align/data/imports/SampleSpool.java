package dev.align.data.imports;

import static dev.align.core.Checks.checkArgument;
import static dev.align.core.Checks.checkState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Holds the samples of an import until all are known, then hands them out in a seeded random
 * order, so that the shards never keep the source's order (emoji grouped by category, skin
 * tones side by side, drawings sorted by folder): a reader's shuffle buffer, however small,
 * then sees a random mix, as in web-scale shards.
 *
 * <p>Memory stays bounded: samples are kept in memory up to {@code memoryLimitBytes}; past that
 * all of them move to a hidden temporary file in the output folder (one sequential write, then
 * one positional read per sample), and only an offset per sample stays in memory. The order is a
 * Fisher-Yates permutation from {@code SplittableRandom(seed)} and does not depend on where the
 * samples were held, so the same samples and seed give the same order byte for byte. The
 * temporary file is deleted by {@link #close()}, whatever happened. Not thread-safe.
 */
final class SampleSpool implements AutoCloseable {

    /** Bytes kept in memory before spilling to disk when none is given: 256 MiB. */
    static final long DEFAULT_MEMORY_LIMIT_BYTES = 256L << 20;

    /** One sample as the importer gave it. */
    record Entry(byte[] png, String caption, String json) {}

    private final Path directory;
    private final long memoryLimitBytes;
    private final List<byte[]> inMemory = new ArrayList<>();
    private long memoryBytes;
    private Path file;
    private FileChannel channel;
    private long[] offsets = new long[1024];
    private int count;
    private boolean closed;

    /**
     * @param directory where the temporary file goes if the samples outgrow memory
     * @param memoryLimitBytes encoded bytes held in memory at most, {@code >= 0}
     */
    SampleSpool(Path directory, long memoryLimitBytes) {
        checkArgument(memoryLimitBytes >= 0, "memoryLimitBytes must be >= 0, got %s",
                memoryLimitBytes);
        this.directory = directory;
        this.memoryLimitBytes = memoryLimitBytes;
    }

    /** Samples added so far. */
    int size() {
        return count;
    }

    /** Whether the samples went to the temporary file. */
    boolean spilled() {
        return channel != null;
    }

    /** Appends one sample. */
    void add(Entry entry) throws IOException {
        checkState(!closed, "the spool is closed");
        byte[] record = encode(entry);
        if (channel == null && memoryBytes + record.length > memoryLimitBytes) {
            spill();
        }
        if (channel == null) {
            inMemory.add(record);
            memoryBytes += record.length;
        } else {
            if (count + 1 >= offsets.length) {
                offsets = Arrays.copyOf(offsets, offsets.length * 2);
            }
            long at = offsets[count];
            writeFully(ByteBuffer.wrap(record), at);
            offsets[count + 1] = at + record.length;
        }
        count++;
    }

    /**
     * The samples in the order of a seeded random permutation.
     *
     * @param seed seeds the permutation
     */
    Iterable<Entry> shuffled(long seed) {
        checkState(!closed, "the spool is closed");
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = count - 1; i > 0; i--) {                  // Fisher-Yates
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return () -> new java.util.Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < order.length;
            }

            @Override
            public Entry next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                try {
                    return decode(read(order[next++]));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    /** Deletes the temporary file, if any. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        inMemory.clear();
        if (channel != null) {
            try {
                channel.close();
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }

    private void spill() throws IOException {
        file = directory.resolve(".spool-" + UUID.randomUUID() + ".tmp");
        Files.createDirectories(directory);
        channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        file.toFile().deleteOnExit();
        if (offsets.length < inMemory.size() + 1) {
            offsets = new long[Math.max(1024, 2 * (inMemory.size() + 1))];
        }
        long at = 0;
        for (int i = 0; i < inMemory.size(); i++) {
            byte[] record = inMemory.get(i);
            offsets[i] = at;
            writeFully(ByteBuffer.wrap(record), at);
            at += record.length;
        }
        offsets[inMemory.size()] = at;
        inMemory.clear();
        memoryBytes = 0;
    }

    private byte[] read(int index) throws IOException {
        if (channel == null) {
            return inMemory.get(index);
        }
        long from = offsets[index];
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(offsets[index + 1] - from));
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, from + buffer.position()) < 0) {
                throw new IOException(file + " ended early at sample " + index);
            }
        }
        return buffer.array();
    }

    private void writeFully(ByteBuffer buffer, long at) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer, at + buffer.position());
        }
    }

    /** {@code [png length][png][caption length][caption][json length or -1][json]}. */
    private static byte[] encode(Entry e) {
        byte[] caption = e.caption().getBytes(StandardCharsets.UTF_8);
        byte[] json = e.json() == null ? null : e.json().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(12 + e.png().length + caption.length
                + (json == null ? 0 : json.length));
        b.putInt(e.png().length).put(e.png()).putInt(caption.length).put(caption);
        b.putInt(json == null ? -1 : json.length);
        if (json != null) {
            b.put(json);
        }
        return b.array();
    }

    private static Entry decode(byte[] record) {
        ByteBuffer b = ByteBuffer.wrap(record);
        byte[] png = new byte[b.getInt()];
        b.get(png);
        byte[] caption = new byte[b.getInt()];
        b.get(caption);
        int jsonLength = b.getInt();
        String json = null;
        if (jsonLength >= 0) {
            byte[] j = new byte[jsonLength];
            b.get(j);
            json = new String(j, StandardCharsets.UTF_8);
        }
        return new Entry(png, new String(caption, StandardCharsets.UTF_8), json);
    }
}
