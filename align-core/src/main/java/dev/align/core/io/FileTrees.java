package dev.align.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Whole directory trees: align's one recursive delete (temporary folders of atomic directory
 * writes, stale checkpoints, an interrupted import's leftovers).
 */
public final class FileTrees {

    private FileTrees() {}

    /**
     * Deletes {@code path} and, when it is a directory, everything below it, deepest first.
     * Nothing happens when it does not exist; a symbolic link is deleted, never followed.
     *
     * @throws IOException if something cannot be deleted (what was deleted before stays deleted)
     */
    public static void delete(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> deepestFirst;
        try (Stream<Path> walk = Files.walk(path)) {
            deepestFirst = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : deepestFirst) {
            Files.deleteIfExists(p);
        }
    }
}
