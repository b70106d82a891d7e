package dev.align.core.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A file system over a real directory that fails the way disks fail, for tests of what a program
 * leaves behind when it cannot write.
 *
 * <ul>
 *   <li>{@link #fillUp(long)}: the disk has that many bytes free; a write that needs more writes
 *       what fits and then fails with {@code IOException("No space left on device")}, as
 *       {@code write(2)} does with {@code ENOSPC}. Deleting or truncating a file gives its bytes
 *       back, as on a real disk.
 *   <li>{@link #makeReadOnly(Path)}: the folder refuses new entries, deletions and renames
 *       (creating a file, making a folder, deleting, moving in or out) with
 *       {@link AccessDeniedException}, as after {@code chmod a-w DIR} for a user who is not root.
 *       As with a real {@code chmod}, folders below it stay writable, files already in it can
 *       still be written, and channels opened earlier keep working.
 *   <li>{@link #heal()}: space is back and every folder writable.
 * </ul>
 *
 * <p>The paths it hands out ({@link #root()}, and everything derived from them) belong to it, so
 * code that takes a {@link Path} and uses {@link Files} or {@link FileChannel} goes through it.
 * Code that turns a path into a {@code String} and back with {@code Path.of}, or into a
 * {@code java.io.File}, escapes it (and {@code toFile()} throws): a test then sees no fault where it
 * injected one. It works the same on every platform and needs neither root nor a mount, so tests
 * built on it run in CI on a clean clone.
 */
public final class FaultyFileSystem extends FileSystem {

    /** The message {@code write(2)} gives for {@code ENOSPC} on Linux. */
    public static final String NO_SPACE = "No space left on device";

    private final Path realRoot;
    private final FileSystem real;
    private final Provider provider = new Provider();
    private final AtomicLong freeBytes = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong writtenBytes = new AtomicLong();
    private final Set<Path> readOnly = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean open = true;

    private FaultyFileSystem(Path realRoot) {
        this.realRoot = realRoot.toAbsolutePath().normalize();
        this.real = this.realRoot.getFileSystem();
    }

    /**
     * A healthy faulty file system over an existing directory.
     *
     * @param realRoot the directory on the real file system whose content it shows
     * @return the file system; {@link #root()} is {@code realRoot} seen through it
     */
    public static FaultyFileSystem over(Path realRoot) {
        if (!Files.isDirectory(realRoot)) {
            throw new IllegalArgumentException(realRoot + " is not a directory");
        }
        return new FaultyFileSystem(realRoot);
    }

    /** The wrapped directory, as a path of this file system. */
    public Path root() {
        return wrap(realRoot);
    }

    /** The real path behind one of this file system's paths. */
    public Path realPath(Path path) {
        return unwrap(path);
    }

    /**
     * From now on the disk has {@code bytes} free: writes beyond them fail with
     * {@value #NO_SPACE}.
     */
    public void fillUp(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("free bytes must be >= 0, got " + bytes);
        }
        freeBytes.set(bytes);
    }

    /** {@code dir} refuses new entries, deletions and renames, as after {@code chmod a-w dir}. */
    public void makeReadOnly(Path dir) {
        readOnly.add(unwrap(dir).toAbsolutePath().normalize());
    }

    /** Space is back (unlimited) and nothing is read-only any more. */
    public void heal() {
        freeBytes.set(Long.MAX_VALUE);
        readOnly.clear();
    }

    /** Bytes written through this file system so far. */
    public long bytesWritten() {
        return writtenBytes.get();
    }

    // ---------------------------------------------------------------------------- path mapping

    Path wrap(Path realPath) {
        return new FaultyPath(this, realPath);
    }

    Path unwrap(Path path) {
        Objects.requireNonNull(path, "path");
        if (!(path instanceof FaultyPath p) || p.fs != this) {
            throw new ProviderMismatchException("not a path of this FaultyFileSystem: " + path
                    + " (" + path.getClass().getName() + ")");
        }
        return p.delegate;
    }

    /** Refuses to add, remove or rename the entry {@code realPath} when its folder is read-only. */
    private void checkWritable(Path realPath) throws AccessDeniedException {
        Path parent = realPath.toAbsolutePath().normalize().getParent();
        if (parent != null && readOnly.contains(parent)) {
            throw new AccessDeniedException(realPath.toString());
        }
    }

    /** Takes {@code wanted} bytes from the free space; returns how many the disk still had. */
    private long take(long wanted) {
        while (true) {
            long free = freeBytes.get();
            if (free == Long.MAX_VALUE) {
                return wanted;
            }
            long granted = Math.min(free, wanted);
            if (freeBytes.compareAndSet(free, free - granted)) {
                return granted;
            }
        }
    }

    private void giveBack(long bytes) {
        freeBytes.updateAndGet(free -> free == Long.MAX_VALUE ? free
                : free + Math.min(bytes, Long.MAX_VALUE - 1 - free));
    }

    private long sizeIfFile(Path realPath) {
        try {
            BasicFileAttributes a = Files.readAttributes(realPath, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() ? a.size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    // ---------------------------------------------------------------------------- FileSystem

    @Override
    public FileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() {
        open = false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public String getSeparator() {
        return real.getSeparator();
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        List<Path> roots = new ArrayList<>();
        real.getRootDirectories().forEach(r -> roots.add(wrap(r)));
        return roots;
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return real.getFileStores();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return real.supportedFileAttributeViews();
    }

    @Override
    public Path getPath(String first, String... more) {
        return wrap(real.getPath(first, more));
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        PathMatcher m = real.getPathMatcher(syntaxAndPattern);
        return p -> m.matches(unwrap(p));
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        return real.getUserPrincipalLookupService();
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException("FaultyFileSystem has no watch service");
    }

    // ---------------------------------------------------------------------------- the provider

    private final class Provider extends FileSystemProvider {

        private FileSystemProvider realProvider() {
            return real.provider();
        }

        @Override
        public String getScheme() {
            return "faulty";
        }

        @Override
        public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
            throw new UnsupportedOperationException("create one with FaultyFileSystem.over");
        }

        @Override
        public FileSystem getFileSystem(URI uri) {
            throw new UnsupportedOperationException("use FaultyFileSystem.root()");
        }

        @Override
        public Path getPath(URI uri) {
            throw new UnsupportedOperationException("use FaultyFileSystem.root()");
        }

        @Override
        public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
                FileAttribute<?>... attrs) throws IOException {
            return newFileChannel(path, options, attrs);
        }

        @Override
        public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options,
                FileAttribute<?>... attrs) throws IOException {
            Path p = unwrap(path);
            boolean writes = options.contains(StandardOpenOption.WRITE)
                    || options.contains(StandardOpenOption.APPEND);
            boolean addsOrRemoves = options.contains(StandardOpenOption.CREATE_NEW)
                    || options.contains(StandardOpenOption.DELETE_ON_CLOSE)
                    || (options.contains(StandardOpenOption.CREATE) && !Files.exists(p));
            if (addsOrRemoves) {
                checkWritable(p);
            }
            long truncated = writes && options.contains(StandardOpenOption.TRUNCATE_EXISTING)
                    ? sizeIfFile(p) : 0;
            FileChannel channel = realProvider().newFileChannel(p, options, attrs);
            giveBack(truncated);
            return writes ? new Channel(channel) : channel;
        }

        @Override
        public DirectoryStream<Path> newDirectoryStream(Path dir,
                DirectoryStream.Filter<? super Path> filter) throws IOException {
            DirectoryStream<Path> stream = realProvider().newDirectoryStream(unwrap(dir),
                    p -> filter.accept(wrap(p)));
            return new DirectoryStream<>() {
                @Override
                public Iterator<Path> iterator() {
                    Iterator<Path> it = stream.iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public Path next() {
                            return wrap(it.next());
                        }
                    };
                }

                @Override
                public void close() throws IOException {
                    stream.close();
                }
            };
        }

        @Override
        public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
            Path p = unwrap(dir);
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                // mkdir(2) reports EEXIST before EACCES or EROFS.
                throw new java.nio.file.FileAlreadyExistsException(p.toString());
            }
            checkWritable(p);
            if (take(1) < 1) {
                throw new FileSystemException(p.toString(), null, NO_SPACE);
            }
            giveBack(1);
            realProvider().createDirectory(p, attrs);
        }

        @Override
        public void delete(Path path) throws IOException {
            Path p = unwrap(path);
            checkWritable(p);
            long size = sizeIfFile(p);
            realProvider().delete(p);
            giveBack(size);
        }

        @Override
        public void copy(Path source, Path target, CopyOption... options) throws IOException {
            Path t = unwrap(target);
            checkWritable(t);
            Path s = unwrap(source);
            long size = sizeIfFile(s);
            long replaced = Arrays.asList(options).contains(StandardCopyOption.REPLACE_EXISTING)
                    ? sizeIfFile(t) : 0;
            giveBack(replaced);
            if (take(size) < size) {
                throw new FileSystemException(t.toString(), null, NO_SPACE);
            }
            realProvider().copy(s, t, options);
            writtenBytes.addAndGet(size);
        }

        @Override
        public void move(Path source, Path target, CopyOption... options) throws IOException {
            Path s = unwrap(source);
            Path t = unwrap(target);
            checkWritable(s);
            checkWritable(t);
            long replaced = Arrays.asList(options).contains(StandardCopyOption.REPLACE_EXISTING)
                    ? sizeIfFile(t) : 0;
            realProvider().move(s, t, options);
            giveBack(replaced);
        }

        @Override
        public boolean isSameFile(Path path, Path path2) throws IOException {
            return realProvider().isSameFile(unwrap(path), unwrap(path2));
        }

        @Override
        public boolean isHidden(Path path) throws IOException {
            return realProvider().isHidden(unwrap(path));
        }

        @Override
        public FileStore getFileStore(Path path) throws IOException {
            return realProvider().getFileStore(unwrap(path));
        }

        @Override
        public void checkAccess(Path path, AccessMode... modes) throws IOException {
            Path p = unwrap(path);
            if (Arrays.asList(modes).contains(AccessMode.WRITE) && readOnly.contains(
                    p.toAbsolutePath().normalize())) {
                throw new AccessDeniedException(p.toString());
            }
            realProvider().checkAccess(p, modes);
        }

        @Override
        public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type,
                LinkOption... options) {
            return realProvider().getFileAttributeView(unwrap(path), type, options);
        }

        @Override
        public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type,
                LinkOption... options) throws IOException {
            return realProvider().readAttributes(unwrap(path), type, options);
        }

        @Override
        public Map<String, Object> readAttributes(Path path, String attributes,
                LinkOption... options) throws IOException {
            return realProvider().readAttributes(unwrap(path), attributes, options);
        }

        @Override
        public void setAttribute(Path path, String attribute, Object value,
                LinkOption... options) throws IOException {
            realProvider().setAttribute(unwrap(path), attribute, value, options);
        }
    }

    /** A channel whose writes spend the disk's free bytes. */
    private final class Channel extends FileChannel {
        private final FileChannel delegate;

        Channel(FileChannel delegate) {
            this.delegate = delegate;
        }

        /** Writes what the disk has room for, then fails as {@code ENOSPC} does. */
        private int spend(ByteBuffer src, IoWrite write) throws IOException {
            int wanted = src.remaining();
            int granted = (int) take(wanted);
            int written = 0;
            if (granted > 0) {
                ByteBuffer part = src.duplicate();
                part.limit(part.position() + granted);
                written = write.apply(part);
                src.position(src.position() + written);
                giveBack(granted - written);
                writtenBytes.addAndGet(written);
            }
            if (granted < wanted && written == granted) {
                throw new IOException(NO_SPACE);
            }
            return written;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return delegate.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return delegate.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return spend(src, delegate::write);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                total += write(srcs[i]);
            }
            return total;
        }

        @Override
        public long position() throws IOException {
            return delegate.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            delegate.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            long before = delegate.size();
            delegate.truncate(size);
            giveBack(Math.max(0, before - delegate.size()));
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            delegate.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target)
                throws IOException {
            return delegate.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count)
                throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(count, 1 << 16));
            long done = 0;
            while (done < count) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), count - done));
                if (src.read(buffer) <= 0) {
                    break;
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    done += write(buffer, position + done);
                }
            }
            return done;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return delegate.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return spend(src, part -> delegate.write(part, position));
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            if (mode != MapMode.READ_ONLY) {
                throw new UnsupportedOperationException("FaultyFileSystem maps files read-only");
            }
            return delegate.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return delegate.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return delegate.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            delegate.close();
        }
    }

    @FunctionalInterface
    private interface IoWrite {
        int apply(ByteBuffer buffer) throws IOException;
    }

    // ---------------------------------------------------------------------------- paths

    /** A real path seen through a {@link FaultyFileSystem}. */
    private static final class FaultyPath implements Path {
        private final FaultyFileSystem fs;
        private final Path delegate;

        FaultyPath(FaultyFileSystem fs, Path delegate) {
            this.fs = fs;
            this.delegate = delegate;
        }

        private Path wrapOrNull(Path p) {
            return p == null ? null : fs.wrap(p);
        }

        @Override
        public FileSystem getFileSystem() {
            return fs;
        }

        @Override
        public boolean isAbsolute() {
            return delegate.isAbsolute();
        }

        @Override
        public Path getRoot() {
            return wrapOrNull(delegate.getRoot());
        }

        @Override
        public Path getFileName() {
            return wrapOrNull(delegate.getFileName());
        }

        @Override
        public Path getParent() {
            return wrapOrNull(delegate.getParent());
        }

        @Override
        public int getNameCount() {
            return delegate.getNameCount();
        }

        @Override
        public Path getName(int index) {
            return fs.wrap(delegate.getName(index));
        }

        @Override
        public Path subpath(int beginIndex, int endIndex) {
            return fs.wrap(delegate.subpath(beginIndex, endIndex));
        }

        @Override
        public boolean startsWith(Path other) {
            return other instanceof FaultyPath p && p.fs == fs && delegate.startsWith(p.delegate);
        }

        @Override
        public boolean endsWith(Path other) {
            return other instanceof FaultyPath p && p.fs == fs && delegate.endsWith(p.delegate);
        }

        @Override
        public Path normalize() {
            return fs.wrap(delegate.normalize());
        }

        @Override
        public Path resolve(Path other) {
            return fs.wrap(delegate.resolve(fs.unwrap(other)));
        }

        @Override
        public Path relativize(Path other) {
            return fs.wrap(delegate.relativize(fs.unwrap(other)));
        }

        @Override
        public URI toUri() {
            return delegate.toUri();
        }

        @Override
        public Path toAbsolutePath() {
            return fs.wrap(delegate.toAbsolutePath());
        }

        @Override
        public Path toRealPath(LinkOption... options) throws IOException {
            return fs.wrap(delegate.toRealPath(options));
        }

        @Override
        public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events,
                WatchEvent.Modifier... modifiers) {
            throw new UnsupportedOperationException("FaultyFileSystem has no watch service");
        }

        @Override
        public int compareTo(Path other) {
            return delegate.compareTo(fs.unwrap(other));
        }

        @Override
        public Iterator<Path> iterator() {
            List<Path> names = new ArrayList<>();
            delegate.forEach(p -> names.add(fs.wrap(p)));
            return names.iterator();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FaultyPath p && p.fs == fs && p.delegate.equals(delegate);
        }

        @Override
        public int hashCode() {
            return delegate.hashCode();
        }

        @Override
        public String toString() {
            return delegate.toString();
        }
    }

    /** Names of the files under {@code dir} (real paths relative to it), for assertions. */
    public static Set<String> listRecursively(Path dir) throws IOException {
        Set<String> names = new HashSet<>();
        try (var walk = Files.walk(dir)) {
            walk.filter(p -> !p.equals(dir)).forEach(p -> names.add(dir.relativize(p).toString()));
        }
        return names;
    }
}
