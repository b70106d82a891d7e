package dev.align.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.junit.jupiter.api.Test;

class FileErrorsTest {

    @Test
    void fileSystemErrorsNameTheFileAndWhatHappened() {
        assertEquals("no such file or directory: nope.json",
                FileErrors.describe(new NoSuchFileException("nope.json")));
        assertEquals("permission denied: /x", FileErrors.describe(new AccessDeniedException("/x")));
        assertEquals("/a: Not a directory", FileErrors.describe(
                new FileSystemException("/a", null, "Not a directory")));
        assertEquals("/a: NotDirectory", FileErrors.describe(new NotDirectoryException("/a")));
        assertEquals("/a: busy (/b)", FileErrors.describe(new FileSystemException("/a", "/b", "busy")));
        assertEquals("already exists: /out/run", FileErrors.describe(
                new FileAlreadyExistsException("/out/run")));
    }

    @Test
    void otherErrorsSayTheirMessageOrTheirClass() {
        assertEquals("bad value", FileErrors.describe(new IllegalArgumentException("bad value")));
        assertEquals("No space left on device", FileErrors.describe(
                new IOException("No space left on device")));
        assertEquals("java.lang.IllegalStateException",
                FileErrors.describe(new IllegalStateException()));
    }
}
