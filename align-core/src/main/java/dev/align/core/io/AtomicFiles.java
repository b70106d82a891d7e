package dev.align.core.io;

import static dev.align.core.Checks.checkArgument;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.UUID;

/**
 * Replaces files all at once: readers and crashes see either the old content or the complete new
 * content, never a half-written file.
 *
 * <p>The content goes to a temporary file in the target's directory (so the rename stays on one
 * file system), the temporary file is fsynced, renamed over the target with
 * {@link StandardCopyOption#ATOMIC_MOVE}, and then the directory is fsynced so that the rename
 * itself survives a power loss (best effort: some platforms, such as Windows, cannot open a
 * directory). If anything fails before the rename, the old file is untouched and the temporary
 * file is deleted. This is the usual write-fsync-rename-fsync sequence that databases and
 * checkpointing libraries use.
 */
public final class AtomicFiles {

    private static final int BUFFER_BYTES = 1 << 16;

    private AtomicFiles() {}

    /**
     * Produces a file's content into a stream. The stream is buffered; closing it is allowed but
     * not needed.
     */
    @FunctionalInterface
    public interface ContentWriter {

        /**
         * Writes the whole content.
         *
         * @param out where the content goes
         * @throws IOException if the content cannot be produced or written; the target file is
         *     then left as it was
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Atomically replaces (or creates) {@code target} with the bytes {@code content} writes.
     *
     * @param target the file to replace; its directory must exist
     * @param content writes the new content
     * @throws IOException if writing, syncing or renaming fails, or if {@code content} throws; the
     *     old file, if any, is then unchanged and no temporary file is left behind
     * @throws IllegalArgumentException if {@code target} has no file name (a root directory)
     */
    public static void write(Path target, ContentWriter content) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(content, "content");
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        checkArgument(directory != null && absolute.getFileName() != null,
                "cannot write to %s: it has no file name", target);
        // A dot prefix hides the file from casual listings; the random part lets concurrent
        // writers of the same target coexist (the last rename wins, each rename is whole).
        Path temp = directory.resolve(
                "." + absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            // CREATE_NEW rather than Files.createTempFile: the latter makes the file owner-only
            // (0600) on POSIX, and that mode would survive the rename onto the target.
            try (FileChannel channel = FileChannel.open(
                    temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(
                        new NonClosingOutputStream(Channels.newOutputStream(channel)),
                        BUFFER_BYTES);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            Files.move(temp, absolute,
                    StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (Throwable failure) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
        syncDirectory(directory);
    }

    /**
     * Atomically replaces (or creates) {@code target} with {@code bytes}.
     *
     * @param target the file to replace; its directory must exist
     * @param bytes the complete new content
     * @throws IOException as {@link #write(Path, ContentWriter)}
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        write(target, out -> out.write(bytes));
    }

    /** Fills a fresh, empty folder with a whole set of files. */
    @FunctionalInterface
    public interface DirectoryWriter {

        /**
         * Writes every file of the folder.
         *
         * @param dir the folder to fill (a temporary one beside the target)
         * @throws IOException if a file cannot be written; the target is then left as it was
         */
        void writeInto(Path dir) throws IOException;
    }

    /**
     * Replaces (or creates) a whole folder at once: the files go into a temporary folder beside
     * {@code target}, every file and the folder are fsynced, and the folder is renamed into place.
     * A reader sees the old folder, or (for a moment while an old one is swapped out) none, or the
     * complete new one; never some files of each. If anything fails before the rename, the old
     * folder is untouched and the temporary one is deleted.
     *
     * @param target the folder to replace; its parent must exist
     * @param content writes the files
     * @throws IOException if writing, syncing or renaming fails, or if {@code content} throws
     */
    public static void writeDirectory(Path target, DirectoryWriter content) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(content, "content");
        Path absolute = target.toAbsolutePath();
        Path parent = absolute.getParent();
        checkArgument(parent != null && absolute.getFileName() != null,
                "cannot write to %s: it has no file name", target);
        String name = absolute.getFileName().toString();
        Path temp = parent.resolve("." + name + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectory(temp);
            content.writeInto(temp);
            try (var files = Files.list(temp)) {
                for (Path f : files.toList()) {
                    if (Files.isRegularFile(f)) {
                        try (FileChannel channel = FileChannel.open(f, StandardOpenOption.READ)) {
                            channel.force(true);
                        }
                    }
                }
            }
            syncDirectory(temp);
            if (Files.exists(absolute)) {
                Path old = parent.resolve("." + name + "." + UUID.randomUUID() + ".old");
                Files.move(absolute, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
                FileTrees.delete(old);
            } else {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (Throwable failure) {
            try {
                FileTrees.delete(temp);
            } catch (IOException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
        syncDirectory(parent);
    }


    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Windows and some file systems cannot open or sync a directory. The rename has
            // already happened, so the only loss is durability of the rename across a power cut.
        }
    }

    /** Lets a content writer close its stream without closing the channel we still must sync. */
    private static final class NonClosingOutputStream extends FilterOutputStream {

        NonClosingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
