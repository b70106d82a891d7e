package dev.align.data.shards;

import static dev.align.core.Checks.checkArgument;
import static dev.align.core.Checks.checkState;

import dev.align.core.io.AtomicFiles;
import dev.align.core.json.Json;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes samples into WebDataset shards {@code 00000.tar}, {@code 00001.tar}, ... of at most
 * {@code maxSamplesPerShard} samples each, as img2dataset does: per sample the members
 * {@code KEY.<jpg|jpeg|png|webp>} (image bytes as given), {@code KEY.json} (optional metadata)
 * and {@code KEY.txt} (caption, UTF-8), in sorted name order. On {@link #close()} it writes
 * {@code sizes.json} (shard file name to sample count, the file OpenCLIP reads to count samples)
 * and {@code stats.json} ({@link ShardWriterStats}) beside the shards.
 *
 * <p>Deterministic bytes: the same samples give byte-identical shards on any machine. Every entry
 * has mtime 0, uid and gid 0, empty user and group names and mode {@code 0644}; keys are limited
 * to 90 UTF-8 bytes so that every member name fits the 100-byte ustar name field and no PAX
 * header is needed (commons-compress would fill a PAX header's user name from
 * {@code user.name}).
 *
 * <p>Atomic shards: each shard is streamed into a hidden temporary file in the directory (a whole
 * shard is not held in memory), fsynced, and renamed onto its final name, so readers never see a
 * half-written shard. If a write fails, the writer is broken: {@link #close()} deletes the
 * partial shard and writes no {@code sizes.json}. Not thread-safe.
 */
public final class ShardWriter implements AutoCloseable {

    /** Image extensions a sample may use: the ones a reader takes ({@link Sample}'s). */
    public static final Set<String> IMAGE_EXTENSIONS = Set.copyOf(Sample.IMAGE_EXTENSIONS);
    private static final int MAX_KEY_BYTES = 90;

    private final Path directory;
    private final int maxSamplesPerShard;
    private final Set<String> keys = new HashSet<>();
    private final Map<String, Long> sizes = new LinkedHashMap<>();
    private final Map<String, Long> imagesByExtension = new TreeMap<>();
    private final List<Path> written = new ArrayList<>();
    private long samples;
    private long imageBytes;
    private long captionBytes;
    private long jsonMembers;
    private OpenShard open;
    private boolean failed;
    private boolean closed;

    /**
     * @param directory where the shards go; created if missing
     * @param maxSamplesPerShard samples per shard, {@code >= 1} (img2dataset uses 10,000)
     * @throws IOException if the directory cannot be created
     */
    public ShardWriter(Path directory, int maxSamplesPerShard) throws IOException {
        checkArgument(directory != null, "directory is null");
        checkArgument(maxSamplesPerShard >= 1, "maxSamplesPerShard must be >= 1, got %s",
                maxSamplesPerShard);
        this.directory = directory;
        this.maxSamplesPerShard = maxSamplesPerShard;
        Files.createDirectories(directory);
    }

    /**
     * Appends one sample.
     *
     * @param key unique sample key: no dot in its file-name part, not absolute, no {@code ..},
     *     at most 90 UTF-8 bytes (img2dataset uses 9 digits, {@code 000000123})
     * @param imageExtension {@code jpg}, {@code jpeg}, {@code png} or {@code webp}
     * @param image encoded image bytes, written as they are
     * @param caption the caption, written as UTF-8
     * @param json metadata JSON text, or {@code null} for none
     * @throws IllegalArgumentException if the key is invalid or repeated, or the extension unknown
     * @throws IOException if the shard cannot be written; the writer is then broken
     */
    public void write(String key, String imageExtension, byte[] image, String caption,
            String json) throws IOException {
        checkState(!closed, "the shard writer is closed");
        checkState(!failed, "the shard writer failed earlier; start again");
        checkKey(key);
        checkArgument(IMAGE_EXTENSIONS.contains(imageExtension),
                "image extension must be one of %s, got %s", new java.util.TreeSet<>(
                        IMAGE_EXTENSIONS), imageExtension);
        checkArgument(image != null && caption != null, "image and caption of %s must not be "
                + "null", key);
        checkArgument(!keys.contains(key), "key %s was already written", key);
        byte[] captionUtf8 = caption.getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> members = new TreeMap<>(); // sorted member order within a sample
        members.put(key + "." + imageExtension, image);
        members.put(key + ".txt", captionUtf8);
        if (json != null) {
            members.put(key + ".json", json.getBytes(StandardCharsets.UTF_8));
        }
        try {
            if (open == null) {
                open = new OpenShard(directory, String.format("%05d.tar", sizes.size()));
            }
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                open.add(m.getKey(), m.getValue());
            }
            open.samples++;
            if (open.samples == maxSamplesPerShard) {
                finishShard();
            }
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
        keys.add(key);
        samples++;
        imageBytes += image.length;
        captionBytes += captionUtf8.length;
        jsonMembers += json == null ? 0 : 1;
        imagesByExtension.merge(imageExtension, 1L, Long::sum);
    }

    /** The shard files completed so far, in order. */
    public List<Path> shards() {
        return List.copyOf(written);
    }

    /** What has been written so far. */
    public ShardWriterStats stats() {
        return new ShardWriterStats(written.size() + (open == null ? 0 : 1), samples,
                imageBytes, captionBytes, jsonMembers, imagesByExtension);
    }

    /**
     * Completes the last shard and writes {@code sizes.json} and {@code stats.json}, each
     * atomically; after a failed write, only deletes the partial shard. Idempotent.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (failed) {
            if (open != null) {
                open.abort();
            }
            return;
        }
        if (open != null) {
            finishShard();
        }
        AtomicFiles.write(directory.resolve("sizes.json"),
                Json.write(sizes).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(directory.resolve("stats.json"),
                Json.write(stats()).getBytes(StandardCharsets.UTF_8));
    }

    private void finishShard() throws IOException {
        Path done = open.finish();
        sizes.put(done.getFileName().toString(), (long) open.samples);
        written.add(done);
        open = null;
    }

    private static void checkKey(String key) {
        checkArgument(key != null && !key.isEmpty(), "sample key is empty");
        int slash = key.lastIndexOf('/');
        checkArgument(key.indexOf('.', slash + 1) < 0 && slash < key.length() - 1,
                "key %s must have a non-empty file-name part without dots (the first dot "
                        + "starts the extension)", key);
        checkArgument(!key.startsWith("/") && !key.contains("\\")
                        && !List.of(key.split("/")).contains("..")
                        && !List.of(key.split("/")).contains(""),
                "key %s must be a relative path without '..', '\\\\' or empty parts", key);
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        checkArgument(bytes <= MAX_KEY_BYTES, "key %s has %s UTF-8 bytes, more than %s", key,
                bytes, MAX_KEY_BYTES);
    }

    /** A shard being streamed into its temporary file. */
    private static final class OpenShard {
        private final Path target;
        private final Path temp;
        private final FileChannel channel;
        private final TarArchiveOutputStream tar;
        private int samples;

        OpenShard(Path directory, String name) throws IOException {
            this.target = directory.resolve(name);
            this.temp = directory.resolve("." + name + "." + UUID.randomUUID() + ".tmp");
            this.channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel),
                    1 << 16);
            this.tar = new TarArchiveOutputStream(out, "UTF-8");
            // ERROR rather than POSIX: keys are short enough, and a PAX header would not be
            // byte-deterministic (it carries the writer's user name).
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_ERROR);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        }

        void add(String name, byte[] data) throws IOException {
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(data.length);
            entry.setMode(0100644);
            entry.setModTime(FileTime.fromMillis(0));
            entry.setUserId(0);
            entry.setGroupId(0);
            entry.setUserName("");
            entry.setGroupName("");
            tar.putArchiveEntry(entry);
            tar.write(data);
            tar.closeArchiveEntry();
        }

        Path finish() throws IOException {
            try {
                tar.finish();
                tar.flush();
                channel.force(true);
                tar.close();
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException | RuntimeException e) {
                abort();
                throw e;
            }
            // Make the rename itself durable; best effort, as in AtomicFiles (Windows cannot).
            try (FileChannel dir = FileChannel.open(target.toAbsolutePath().getParent(),
                    StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException e) {
                // The shard is complete and renamed; only durability across a power cut is lost.
            }
            return target;
        }

        void abort() {
            try {
                tar.close();
            } catch (IOException | RuntimeException e) {
                // Already failing; the temporary file is removed below either way.
            }
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // Best effort: a hidden .tmp file is left behind.
            }
        }
    }
}
