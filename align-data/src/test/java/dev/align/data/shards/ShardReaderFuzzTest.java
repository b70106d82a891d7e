package dev.align.data.shards;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.core.testing.fuzz.FuzzHarness;
import dev.align.core.testing.fuzz.Mutator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the WebDataset reader with mutated tars: byte-level mutations, and header-aware ones
 * that rewrite a member's name (unsafe paths, no extension, very long), size (boundary values in
 * octal and in base-256), type flag or magic and then fix the header checksum so the archive
 * reader believes them; PAX and GNU long-name entries with hostile lengths; archives cut inside a
 * header, inside a member or before the end-of-archive blocks; members spliced from other tars.
 *
 * <p>The reader documents that bad input never ends the iteration: every problem becomes a
 * counted skip. So it must not throw at all, every sample it yields must be whole (an image whose
 * header reads, a valid UTF-8 caption that is not blank), and no skip may hide an internal error
 * (a {@code NullPointerException}, an index out of bounds, an {@code Error}, ...) behind the
 * {@code truncated_shard} reason. Memory: its threads allocate at most a multiple of the file.
 */
class ShardReaderFuzzTest {

    private static final long MAX_MEMBER_BYTES = 64 << 10;
    private static final FuzzHarness HARNESS = FuzzHarness.builder("webdataset tar")
            .maxAllocated(n -> 32 * n + (16L << 20), "32 x file + 16 MiB")
            .build();
    /** Exception names that mean a bug, not bad input, when a skip's detail mentions them. */
    private static final List<String> INTERNAL = List.of("NullPointerException",
            "IndexOutOfBoundsException", "NegativeArraySizeException", "ArithmeticException",
            "ClassCastException", "IllegalStateException", "UnsupportedOperationException",
            "NumberFormatException", "OutOfMemoryError", "StackOverflowError", "InternalError",
            "AssertionError", "reader failed");
    /** Skips by reason and blurred detail, to judge the messages. */
    private static final java.util.Map<String, Long> SKIPS = new java.util.TreeMap<>();
    private static final List<byte[]> SEEDS = seeds();

    /** Every skip is also logged as a warning; thousands of them would only slow the run. */
    private static final java.util.logging.Logger LOG =
            java.util.logging.Logger.getLogger(ShardReader.class.getName());
    private static java.util.logging.Level level;

    @org.junit.jupiter.api.BeforeAll
    static void quiet() {
        level = LOG.getLevel();
        LOG.setLevel(java.util.logging.Level.OFF);
    }

    @Test
    void readsOrSkipsEveryMutatedShardWithoutFailing() throws IOException {
        Path file = Files.createTempFile("fuzz", ".tar");
        try {
            HARNESS.check(ShardReaderFuzzTest::mutate, input -> {
                Files.write(file, input);
                readAll(file);
            });
        } finally {
            Files.delete(file);
        }
    }

    @AfterAll
    static void report() {
        LOG.setLevel(level);                       // other tests count the warnings
        HARNESS.writeReport();
        System.out.println("  skips by reason and detail (most frequent):");
        SKIPS.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue()
                .reversed()).limit(25).forEach(e -> System.out.printf(Locale.ROOT, "  %,9d  %s%n",
                e.getValue(), e.getKey()));
    }

    private static void readAll(Path file) {
        ShardReaderOptions options = new ShardReaderOptions(List.of(file.toString()), 0, false, 0,
                1, 1L << 20, MAX_MEMBER_BYTES);
        Set<Long> before = threadIds();
        List<Skip> skips = new ArrayList<>();
        try (ShardReader reader = ShardReader.open(options, 0, skips::add)) {
            while (reader.hasNext()) {
                Sample s = reader.next();
                assertNotNull(s.image(), "a yielded sample has an image");
                assertFalse(s.caption().isBlank(), "a yielded sample has a caption");
                assertTrue(s.members().values().stream().allMatch(m -> m.length <= MAX_MEMBER_BYTES));
            }
            // The reader's threads are idle but alive until close(): count what they allocated.
            for (Thread t : liveThreads()) {
                if (!before.contains(t.getId()) && t.getName().startsWith("shard-reader-")) {
                    FuzzHarness.addAllocated(FuzzHarness.allocatedBy(t));
                }
            }
        }
        for (Skip skip : skips) {
            String shape = skip.reason().key() + ": " + skip.detail().replaceAll("/[^\\s:,']*/", "…/")
                    .replaceAll("[0-9]+", "#");
            SKIPS.merge(shape.length() > 120 ? shape.substring(0, 120) + "…" : shape, 1L, Long::sum);
            for (String bad : INTERNAL) {
                if (skip.detail().contains(bad)) {
                    throw new AssertionError("a skip hides an internal error: " + skip.message());
                }
            }
        }
    }

    private static Set<Long> threadIds() {
        Set<Long> ids = new HashSet<>();
        for (Thread t : liveThreads()) {
            ids.add(t.getId());
        }
        return ids;
    }

    /** The live threads (cheaper than Thread.getAllStackTraces, which walks every stack). */
    private static List<Thread> liveThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() * 2 + 16];
        int n = root.enumerate(threads, true);
        return Arrays.asList(threads).subList(0, n);
    }

    // ---------------------------------------------------------------------------- mutations

    static byte[] mutate(Random random) {
        Mutator m = new Mutator(random);
        byte[] seed = SEEDS.get(random.nextInt(SEEDS.size()));
        return switch (random.nextInt(6)) {
            case 0 -> m.mutate(seed, SEEDS);
            case 1, 2 -> {
                byte[] b = mutateHeader(seed, m);
                yield random.nextInt(3) == 0 ? mutateHeader(b, m) : b;
            }
            case 3 -> insertEntry(seed, m);
            case 4 -> cut(seed, random);
            default -> spliceMembers(seed, SEEDS.get(random.nextInt(SEEDS.size())), random);
        };
    }

    /** Offsets of the member headers: each header, then its data rounded up to 512 bytes. */
    static List<Integer> headers(byte[] tar) {
        List<Integer> out = new ArrayList<>();
        int at = 0;
        while (at + 512 <= tar.length && !allZero(tar, at, 512)) {
            out.add(at);
            long size = parseOctal(tar, at + 124, 12);
            if (size < 0) {
                break;
            }
            long next = at + 512 + (size + 511) / 512 * 512;
            if (next > tar.length) {
                break;
            }
            at = (int) next;
        }
        return out;
    }

    private static boolean allZero(byte[] b, int from, int n) {
        for (int i = from; i < from + n; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static long parseOctal(byte[] b, int from, int n) {
        long v = 0;
        boolean any = false;
        for (int i = from; i < from + n; i++) {
            int c = b[i];
            if (c >= '0' && c <= '7') {
                v = v * 8 + (c - '0');
                any = true;
            } else if (c == 0 || c == ' ') {
                if (any) {
                    break;
                }
            } else {
                return -1;
            }
        }
        return v;
    }

    /** Writes the checksum as tar does: the byte sum with the field as spaces, 6 octal digits. */
    static void fixChecksum(byte[] b, int header) {
        Arrays.fill(b, header + 148, header + 156, (byte) ' ');
        long sum = 0;
        for (int i = header; i < header + 512; i++) {
            sum += b[i] & 0xFF;
        }
        byte[] digits = String.format(Locale.ROOT, "%06o", sum & 0777777).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, b, header + 148, 6);
        b[header + 154] = 0;
        b[header + 155] = ' ';
    }

    private static void putText(byte[] b, int at, int width, String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        Arrays.fill(b, at, at + width, (byte) 0);
        System.arraycopy(t, 0, b, at, Math.min(width, t.length));
    }

    private static byte[] mutateHeader(byte[] seed, Mutator m) {
        byte[] b = seed.clone();
        List<Integer> headers = headers(b);
        if (headers.isEmpty()) {
            return m.mutateOnce(b, List.of());
        }
        Random r = m.random();
        int h = headers.get(r.nextInt(headers.size()));
        switch (r.nextInt(8)) {
            case 0 -> putText(b, h, 100, new String[] {"../evil.txt", "/abs.png", "noext", ".hidden",
                "a/b/../c.txt", "dir/", "x.", "k." + "e".repeat(95), "C:/win.png", "a\\..\\b.txt",
                "\u00e9t\u00e9.png", "000001.PNG", "000001.txt"}[r.nextInt(13)]);
            case 1 -> putText(b, h + 124, 12, String.format(Locale.ROOT, "%011o",
                    Math.max(0, m.interestingLong()) & 077777777777L));
            case 2 -> {                                        // base-256 size (GNU / star)
                long v = m.interestingLong();
                b[h + 124] = (byte) 0x80;
                for (int i = 0; i < 8; i++) {
                    b[h + 135 - i] = (byte) (v >>> (8 * i));
                }
            }
            case 3 -> b[h + 156] = (byte) "0125xgLKSA7\0"
                    .charAt(r.nextInt(12));
            case 4 -> putText(b, h + 257, 8, r.nextBoolean() ? "ustar  " : "garbage");
            case 5 -> putText(b, h + 345, 155, r.nextBoolean() ? ".." : "p".repeat(155));
            case 6 -> putText(b, h + 100, 8, Long.toString(m.interestingLong()));
            default -> b[h + r.nextInt(512)] = (byte) r.nextInt(256);
        }
        if (r.nextInt(8) != 0) {
            fixChecksum(b, h);
        }
        return b;
    }

    /** Inserts a PAX, global PAX or GNU long-name entry with hostile content before a member. */
    private static byte[] insertEntry(byte[] seed, Mutator m) {
        Random r = m.random();
        List<Integer> headers = headers(seed);
        int at = headers.isEmpty() ? 0 : headers.get(r.nextInt(headers.size()));
        byte flag = (byte) "xgLK".charAt(r.nextInt(4));
        byte[] content;
        if (flag == 'x' || flag == 'g') {
            String[] records = {"size=" + m.interestingLong(), "path=../../etc/passwd",
                "path=" + "p".repeat(300) + ".txt", "GNU.sparse.map=0,1,2", "GNU.sparse.size=-1",
                "mtime=NaN", "uid=" + m.interestingLong(), "SCHILY.xattr.a=b",
                "GNU.sparse.numblocks=99999999", "linkpath=x"};
            String rec = records[r.nextInt(records.length)];
            String line = rec + "\n";
            int len = line.length() + 3;
            len = line.length() + String.valueOf(len).length() + 1;
            String record = r.nextInt(4) == 0 ? m.interestingLong() + " " + line : len + " " + line;
            content = record.getBytes(StandardCharsets.UTF_8);
        } else {
            content = ("n".repeat(r.nextInt(700)) + ".png").getBytes(StandardCharsets.UTF_8);
        }
        byte[] header = new byte[512];
        putText(header, 0, 100, "././@PaxHeader");
        putText(header, 100, 8, "0000644");
        putText(header, 124, 12, String.format(Locale.ROOT, "%011o",
                r.nextInt(4) == 0 ? Math.max(0, m.interestingLong()) & 077777777777L : content.length));
        header[156] = flag;
        putText(header, 257, 6, "ustar");
        header[263] = '0';
        header[264] = '0';
        fixChecksum(header, 0);
        int padded = (content.length + 511) / 512 * 512;
        byte[] out = new byte[seed.length + 512 + padded];
        System.arraycopy(seed, 0, out, 0, at);
        System.arraycopy(header, 0, out, at, 512);
        System.arraycopy(content, 0, out, at + 512, content.length);
        System.arraycopy(seed, at, out, at + 512 + padded, seed.length - at);
        return out;
    }

    private static byte[] cut(byte[] seed, Random r) {
        List<Integer> headers = headers(seed);
        return switch (r.nextInt(3)) {
            case 0 -> Arrays.copyOf(seed, r.nextInt(seed.length));                // anywhere
            case 1 -> headers.isEmpty() ? seed                                     // in a header
                    : Arrays.copyOf(seed, headers.get(r.nextInt(headers.size())) + r.nextInt(512));
            default -> Arrays.copyOf(seed, Math.max(0, seed.length - 512 * (1 + r.nextInt(4))));
        };
    }

    /** Whole members of one tar followed by whole members of another. */
    private static byte[] spliceMembers(byte[] a, byte[] b, Random r) {
        List<Integer> ha = headers(a);
        List<Integer> hb = headers(b);
        if (ha.isEmpty() || hb.isEmpty()) {
            return a;
        }
        int cutA = ha.get(r.nextInt(ha.size()));
        int cutB = hb.get(r.nextInt(hb.size()));
        byte[] out = new byte[cutA + b.length - cutB];
        System.arraycopy(a, 0, out, 0, cutA);
        System.arraycopy(b, cutB, out, cutA, b.length - cutB);
        return out;
    }

    // ---------------------------------------------------------------------------- seeds

    private static List<byte[]> seeds() {
        try {
            Path dir = Files.createTempDirectory("fuzz-seeds");
            List<byte[]> seeds = new ArrayList<>();
            for (String name : Fixtures.writeShards(dir, 5, 5)) {
                seeds.add(Files.readAllBytes(Path.of(name)));
            }
            byte[] png = Fixtures.png(3, 2, 0x336699);
            byte[] jpg = Fixtures.encode(new java.awt.image.BufferedImage(4, 4,
                    java.awt.image.BufferedImage.TYPE_INT_RGB), "jpg");
            seeds.add(tar(TarArchiveOutputStream.LONGFILE_POSIX, List.of(
                    "a/" + "long".repeat(40) + ".png", png, "a/" + "long".repeat(40) + ".txt",
                    "a caption", "b.jpg", jpg, "b.txt", "second caption", "b.json", "{\"x\":1}")));
            seeds.add(tar(TarArchiveOutputStream.LONGFILE_GNU, List.of(
                    "g/" + "n".repeat(120) + ".png", png, "g/" + "n".repeat(120) + ".txt", "gnu",
                    "dir/", new byte[0], "c.png", png, "c.txt", "\u00e9t\u00e9 caption")));
            seeds.add(tar(TarArchiveOutputStream.LONGFILE_ERROR, List.of(
                    "d.png", png, "d.txt", "first", "d.png", png, "e.txt", "", "e.png",
                    new byte[] {1, 2, 3}, "f.txt", "orphan caption")));
            for (Path p : Files.list(dir).toList()) {
                Files.delete(p);
            }
            Files.delete(dir);
            return seeds;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tar of name/content pairs ({@code String} contents as UTF-8; a name ending in / is a folder). */
    private static byte[] tar(int longFileMode, List<Object> nameThenContent) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8")) {
            tar.setLongFileMode(longFileMode);
            for (int i = 0; i < nameThenContent.size(); i += 2) {
                String name = (String) nameThenContent.get(i);
                Object v = nameThenContent.get(i + 1);
                byte[] bytes = v instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) v;
                TarArchiveEntry e = name.endsWith("/")
                        ? new TarArchiveEntry(name, TarConstants.LF_DIR) : new TarArchiveEntry(name);
                e.setSize(name.endsWith("/") ? 0 : bytes.length);
                tar.putArchiveEntry(e);
                if (!name.endsWith("/")) {
                    tar.write(bytes);
                }
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }
}
