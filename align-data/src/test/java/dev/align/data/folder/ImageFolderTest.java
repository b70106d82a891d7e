package dev.align.data.folder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {

    @TempDir
    Path root;

    private void touch(String relative) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[] {1});
    }

    @Test
    void listsClassesInCodePointOrderAndImagesRecursively() throws IOException {
        touch("dog/b.PNG");
        touch("dog/a.jpg");
        touch("dog/notes.txt");                 // not an image
        touch("dog/.hidden.jpg");               // hidden
        touch("cat/sub/z.png");
        touch("cat/sub/w.webp");                // listed only with an ImageIO WebP reader
        touch("cat/y.gif");
        touch("Zebra/x.bmp");
        touch("\uD83D\uDC31 emoji/1.jpeg");      // U+1F431, above every BMP letter
        touch("\uFF21 fullwidth/1.jpeg");        // U+FF21: UTF-16 order would put it after U+1F431
        touch(".git/objects/1.jpg");             // hidden folder
        touch("stray.jpg");                      // a file in the root is no class
        ImageFolder f = ImageFolder.open(root);
        assertEquals(List.of("Zebra", "cat", "dog", "\uFF21 fullwidth", "\uD83D\uDC31 emoji"),
                f.classFolders());
        assertEquals(f.classFolders(), f.classNames());
        boolean webp = ImageFolder.IMAGE_EXTENSIONS.contains("webp");
        assertEquals(webp, javax.imageio.ImageIO.getImageReadersBySuffix("webp").hasNext());
        assertArrayEquals(new int[] {1, webp ? 3 : 2, 2, 1, 1}, f.imagesPerClass());
        assertEquals(webp ? 8 : 7, f.size());
        List<String> listed = f.images().stream()
                .map(i -> root.relativize(i.path()).toString().replace('\\', '/') + "=" + i.label())
                .toList();
        List<String> expected = new java.util.ArrayList<>(List.of("Zebra/x.bmp=0",
                "cat/sub/z.png=1", "cat/y.gif=1", "dog/a.jpg=2", "dog/b.PNG=2",
                "\uFF21 fullwidth/1.jpeg=3", "\uD83D\uDC31 emoji/1.jpeg=4"));
        if (webp) {
            expected.add(1, "cat/sub/w.webp=1");
        }
        assertEquals(expected, listed);
    }

    /** A class subset by readable name: renumbered from 0, order and images kept. */
    @Test
    void restrictsToTheClassesWhoseNamesAreListed() throws IOException {
        touch("n1/a.jpg");
        touch("n2/a.jpg");
        touch("n2/b.jpg");
        touch("n3/a.jpg");
        touch("n4/a.jpg");
        Files.writeString(root.resolve("classnames.txt"),
                "n1\tfox face\nn2\twaving hand\nn3\tHAL 9000\nn4\tred apple\n");
        Path list = Files.writeString(root.getParent().resolve(root.getFileName() + "-labels.txt"),
                "\uFEFFred apple\n\n  waving hand  \nnot a class here\n");
        List<String> names = ImageFolder.readNameList(list);
        assertEquals(List.of("red apple", "waving hand", "not a class here"), names);
        ImageFolder shared = ImageFolder.open(root).onlyClasses(names);
        assertEquals(List.of("n2", "n4"), shared.classFolders());
        assertEquals(List.of("waving hand", "red apple"), shared.classNames());
        assertArrayEquals(new int[] {2, 1}, shared.imagesPerClass());
        assertEquals(List.of("n2/a.jpg=0", "n2/b.jpg=0", "n4/a.jpg=1"), shared.images().stream()
                .map(i -> root.relativize(i.path()).toString().replace('\\', '/') + "="
                        + i.label()).toList());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageFolder.open(root).onlyClasses(List.of("zebra", "Fox Face")));
        assertTrue(e.getMessage().contains("none of the 4 classes") && e.getMessage().contains(
                "zebra"), e.getMessage());
        Files.writeString(list, "\n  \n");
        e = assertThrows(IllegalArgumentException.class, () -> ImageFolder.readNameList(list));
        assertTrue(e.getMessage().contains("names no class"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ImageFolder.readNameList(root.resolve("missing.txt")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        // Not UTF-8 (a Latin-1 'é'): named with the file and the byte, not as a bare
        // "MalformedInputException: Input length = 1", which ClassListsFuzzTest does not allow.
        Files.write(list, new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'});
        e = assertThrows(IllegalArgumentException.class, () -> ImageFolder.readNameList(list));
        assertTrue(e.getMessage().contains(list + " is not valid UTF-8: byte 0xE9 at offset 3"),
                e.getMessage());
    }

    /** A class subset by folder name, as the per-language zero-shot restricts its classes. */
    @Test
    void restrictsToTheListedClassFolders() throws IOException {
        touch("n1/a.jpg");
        touch("n2/a.jpg");
        touch("n3/a.jpg");
        Files.writeString(root.resolve("classnames.txt"), "n1\tfox\nn2\tdog\nn3\tcat\n");
        ImageFolder f = ImageFolder.open(root).onlyClassFolders(List.of("n3", "n1", "dog", "n9"));
        assertEquals(List.of("n1", "n3"), f.classFolders(), "'dog' is a name, not a folder");
        assertEquals(List.of("fox", "cat"), f.classNames());
        assertEquals(List.of(0, 1), f.images().stream().map(ImageFolder.Image::label).toList());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageFolder.open(root).onlyClassFolders(List.of("fox")));
        assertTrue(e.getMessage().contains("fox"), e.getMessage());
    }

    @Test
    void readsReadableNamesFromClassNamesFile() throws IOException {
        touch("n01/a.jpg");
        touch("n02/a.jpg");
        Files.writeString(root.resolve("classnames.txt"),
                "n02\tgolden retriever\nn01\tcafé au lait \n", StandardCharsets.UTF_8);
        ImageFolder f = ImageFolder.open(root);
        assertEquals(List.of("n01", "n02"), f.classFolders());
        assertEquals(List.of("café au lait", "golden retriever"), f.classNames());
    }

    @Test
    void rejectsMalformedClassNamesFiles() throws IOException {
        touch("a/1.jpg");
        touch("b/1.jpg");
        Path names = root.resolve("classnames.txt");
        String[][] cases = {
            {"a\tA\n", "does not name the class folder(s) [b]"},
            {"a\tA\nb\tB\nc\tC\n", "line 3: 'c' is not a class folder"},
            {"a\tA\na\tA2\nb\tB\n", "line 2: folder 'a' is listed twice"},
            {"a A\nb\tB\n", "line 1: expected 'folder<TAB>readable name'"},
            {"a\tA\tx\nb\tB\n", "line 1: expected"},
            {"a\t \nb\tB\n", "line 1: the readable name of 'a' is blank"},
            {"a\tA\n\nb\tB\n", "line 2: expected"},
        };
        for (String[] c : cases) {
            Files.writeString(names, c[0], StandardCharsets.UTF_8);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ImageFolder.open(root), c[0]);
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
        Files.write(names, new byte[] {'a', '\t', (byte) 0xC3, '\n'});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageFolder.open(root))
                .getMessage().contains("not valid UTF-8"));
    }

    @Test
    void failsClearlyOnMissingOrEmptyFolders() throws IOException {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ImageFolder.open(root.resolve("nope")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        IllegalArgumentException noClasses = assertThrows(IllegalArgumentException.class,
                () -> ImageFolder.open(root));
        assertTrue(noClasses.getMessage().contains("has no class folders"), noClasses.getMessage());
        touch("full/1.png");
        touch("empty/readme.txt");
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> ImageFolder.open(root));
        assertTrue(empty.getMessage().contains("[empty] hold no images"), empty.getMessage());
    }

    @Test
    void rejectsSymbolicLinkLoops() throws IOException {
        touch("a/1.jpg");
        Files.createSymbolicLink(root.resolve("a").resolve("loop"), root.resolve("a"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageFolder.open(root));
        assertTrue(e.getMessage().contains("symbolic link loop"), e.getMessage());
    }
}
