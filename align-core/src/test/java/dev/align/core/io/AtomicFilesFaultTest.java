package dev.align.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.core.testing.FaultyFileSystem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Atomic writes on a disk that fills up or turns read-only (through {@link FaultyFileSystem}):
 * the old content stays, no temporary file is left, the error says what happened, and the same
 * write succeeds once the disk is healthy again. Every report, config and weights file of align is
 * written this way.
 */
class AtomicFilesFaultTest {

    @TempDir
    Path real;

    @Test
    void aFullDiskKeepsTheOldFileAndLeavesNoTemporaryFile() throws IOException {
        FaultyFileSystem fs = FaultyFileSystem.over(real);
        Path target = fs.root().resolve("report.json");
        AtomicFiles.write(target, "old".getBytes(StandardCharsets.UTF_8));
        fs.fillUp(1000);
        byte[] big = new byte[200_000];
        Arrays.fill(big, (byte) 'x');
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, big));
        assertEquals(FaultyFileSystem.NO_SPACE, e.getMessage());
        assertEquals("old", Files.readString(target));
        assertEquals(Set.of("report.json"), FaultyFileSystem.listRecursively(real),
                "the temporary file is gone");
        fs.heal();
        AtomicFiles.write(target, big);
        assertArrayEquals(big, Files.readAllBytes(target));
    }

    @Test
    void aReadOnlyFolderRefusesTheWriteAndKeepsTheOldFile() throws IOException {
        FaultyFileSystem fs = FaultyFileSystem.over(real);
        Path dir = fs.root().resolve("out");
        Files.createDirectories(dir);
        Path target = dir.resolve("summary.json");
        AtomicFiles.write(target, "old".getBytes(StandardCharsets.UTF_8));
        fs.makeReadOnly(dir);
        AccessDeniedException e = assertThrows(AccessDeniedException.class,
                () -> AtomicFiles.write(target, "new".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getFile().startsWith(real.resolve("out").toString()), e.getFile());
        assertEquals("old", Files.readString(target));
        assertEquals(Set.of("out", "out/summary.json"), FaultyFileSystem.listRecursively(real));
        fs.heal();
        AtomicFiles.write(target, "new".getBytes(StandardCharsets.UTF_8));
        assertEquals("new", Files.readString(target));
    }

    @Test
    void safetensorsOnAFullDiskKeepThePreviousWeights() throws IOException {
        FaultyFileSystem fs = FaultyFileSystem.over(real);
        Path file = fs.root().resolve("model.safetensors");
        Map<String, TensorData> v1 = Map.of("w", TensorData.ofFloats(new long[] {4},
                new float[] {1, 2, 3, 4}));
        SafeTensors.write(file, v1, Map.of());
        fs.fillUp(64);
        Map<String, TensorData> v2 = Map.of("w", TensorData.ofFloats(new long[] {10_000},
                new float[10_000]));
        assertThrows(IOException.class, () -> SafeTensors.write(file, v2, Map.of()));
        assertEquals(v1, SafeTensors.read(real.resolve("model.safetensors")));
        assertFalse(Files.list(real).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }

    @Test
    void spaceFreedByDeletingComesBack() throws IOException {
        FaultyFileSystem fs = FaultyFileSystem.over(real);
        Path ballast = fs.root().resolve("ballast");
        Files.write(ballast, new byte[5000]);
        fs.fillUp(100);
        assertThrows(IOException.class, () -> Files.write(fs.root().resolve("a"), new byte[1000]));
        Files.delete(ballast);
        Files.write(fs.root().resolve("a"), new byte[1000]);
        assertEquals(1000, Files.size(real.resolve("a")));
    }
}
