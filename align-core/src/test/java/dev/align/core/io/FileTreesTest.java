package dev.align.core.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

    @TempDir
    Path dir;

    @Test
    void deletesANestedTreeAndNothingBesideIt() throws Exception {
        Path tree = dir.resolve("tree");
        Files.createDirectories(tree.resolve("a/b/c"));
        Files.writeString(tree.resolve("a/b/c/deep.txt"), "x");
        Files.writeString(tree.resolve("a/top.txt"), "y");
        Path sibling = Files.writeString(dir.resolve("tree-sibling.txt"), "z");
        FileTrees.delete(tree);
        assertFalse(Files.exists(tree));
        assertTrue(Files.exists(sibling));
    }

    @Test
    void deletesASingleFileAndIgnoresAMissingPath() throws Exception {
        Path file = Files.writeString(dir.resolve("f.txt"), "x");
        FileTrees.delete(file);
        assertFalse(Files.exists(file));
        FileTrees.delete(dir.resolve("never-existed"));
    }

    @Test
    void deletesALinkNotWhatItPointsTo() throws Exception {
        Path target = Files.createDirectories(dir.resolve("kept"));
        Files.writeString(target.resolve("inside.txt"), "x");
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Files.createSymbolicLink(tree.resolve("link"), target);
        FileTrees.delete(tree);
        assertFalse(Files.exists(tree));
        assertTrue(Files.exists(target.resolve("inside.txt")));
    }
}
