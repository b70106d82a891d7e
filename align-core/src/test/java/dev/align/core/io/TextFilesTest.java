package dev.align.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFilesTest {

    @Test
    void readsUtf8Text(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("a.txt");
        Files.writeString(file, "café 東京 😀\n", StandardCharsets.UTF_8);
        assertEquals("café 東京 😀\n", TextFiles.readUtf8(file));
        assertEquals("", TextFiles.decode(new byte[0], "empty"));
    }

    @Test
    void namesTheSourceAndTheOffsetOfTheFirstBadByte() {
        TextFiles.MalformedTextException e = assertThrows(TextFiles.MalformedTextException.class,
                () -> TextFiles.decode(new byte[] {'a', 'b', (byte) 0xFF, 'c'}, "x.json"));
        assertEquals("x.json is not valid UTF-8: byte 0xFF at offset 2 does not fit; save the file "
                + "as UTF-8", e.getMessage());
        assertEquals(2, e.offset());
        // An encoded lone surrogate (CESU-8 style) is not UTF-8 either.
        assertEquals(1, assertThrows(TextFiles.MalformedTextException.class, () -> TextFiles.decode(
                new byte[] {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80}, "s")).offset());
        // A sequence cut short by the end of the file.
        assertEquals("t is not valid UTF-8: byte 0xE6 at offset 1 does not fit; save the file as "
                + "UTF-8", assertThrows(TextFiles.MalformedTextException.class,
                        () -> TextFiles.decode(new byte[] {'a', (byte) 0xE6, (byte) 0x9D}, "t"))
                        .getMessage());
    }
}
