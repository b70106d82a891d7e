package dev.align.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class MainTest {

    /** File-system exceptions carry only a path; the command line says what went wrong. */
    @Test
    void fileSystemErrorsBecomeSentences() {
        assertEquals("permission denied: cannot write /out/run (is the folder read-only?)",
                Main.message(new AccessDeniedException("/out/run")));
        assertEquals("no such file or folder: /data/x.tar",
                Main.message(new NoSuchFileException("/data/x.tar")));
        assertEquals("/out/model.safetensors: Read-only file system",
                Main.message(new FileSystemException("/out/model.safetensors", null,
                        "Read-only file system")));
        assertEquals("No space left on device", Main.message(new IOException("No space left on device")));
        assertEquals("java.lang.IllegalStateException", Main.message(new IllegalStateException()));
    }
}
