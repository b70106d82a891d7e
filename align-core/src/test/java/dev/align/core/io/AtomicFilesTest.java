package dev.align.core.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void createsAFileThatDidNotExist() throws IOException {
        Path target = dir.resolve("new.bin");
        AtomicFiles.write(target, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
        assertEquals(List.of(target), listing());
    }

    @Test
    void replacesAnExistingFile() throws IOException {
        Path target = dir.resolve("model.safetensors");
        Files.writeString(target, "old content that is longer than the new one");
        AtomicFiles.write(target, "new".getBytes(UTF_8));
        assertEquals("new", Files.readString(target));
        assertEquals(List.of(target), listing());
    }

    @Test
    void keepsTheOldFileWhenTheWriterThrowsMidway() throws IOException {
        Path target = dir.resolve("model.safetensors");
        Files.writeString(target, "old");
        IOException diskFull = new IOException("disk full");

        IOException thrown = assertThrows(IOException.class,
                () -> AtomicFiles.write(target, out -> {
                    out.write(new byte[200_000]); // more than the buffer: bytes reach the disk
                    throw diskFull;
                }));

        assertSame(diskFull, thrown);
        assertEquals("old", Files.readString(target));
        assertEquals(List.of(target), listing(), "the temporary file must be deleted");
    }

    @Test
    void keepsTheOldFileWhenTheWriterThrowsAnUncheckedException() throws IOException {
        Path target = dir.resolve("model.safetensors");
        Files.writeString(target, "old");

        assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(42);
            throw new UncheckedIOException(new IOException("encoder failed"));
        }));

        assertEquals("old", Files.readString(target));
        assertEquals(List.of(target), listing());
    }

    @Test
    void toleratesAWriterThatClosesTheStream() throws IOException {
        Path target = dir.resolve("closed.txt");
        AtomicFiles.write(target, out -> {
            out.write("done".getBytes(UTF_8));
            out.close();
        });
        assertEquals("done", Files.readString(target));
    }

    @Test
    void rejectsAMissingDirectory() {
        Path target = dir.resolve("missing").resolve("file.bin");
        assertThrows(NoSuchFileException.class, () -> AtomicFiles.write(target, new byte[1]));
        assertFalse(Files.exists(target.getParent()));
    }

    private List<Path> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
