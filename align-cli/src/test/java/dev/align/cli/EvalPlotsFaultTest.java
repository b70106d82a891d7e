package dev.align.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.core.io.FileErrors;
import dev.align.core.testing.FaultyFileSystem;
import dev.align.eval.retrieval.RecallAtK;
import dev.align.eval.retrieval.RetrievalReport;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation plots on a full disk and in a read-only folder: the error says so, and no
 * half-written PNG (XChart's own file variant left {@code *.tmp.png} behind) is left.
 */
class EvalPlotsFaultTest {

    private static final List<RetrievalReport> REPORTS = List.of(new RetrievalReport("pairs", 10,
            10, 0, Map.of(), List.of(new RecallAtK(1, 0.2, 0.3, 0.25), new RecallAtK(5, 0.6, 0.7,
            0.65), new RecallAtK(10, 0.9, 1.0, 0.95)), 0.25));

    @TempDir
    Path real;

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(real)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Whether the exception or one of its causes says {@code what}. */
    private static boolean says(Throwable e, String what) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains(what)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aFullDiskLeavesNoPlotAndAnErrorThatSaysSo() throws IOException {
        EvalPlots.recallCurves(REPORTS, real.resolve("whole.png"));
        long size = Files.size(real.resolve("whole.png"));
        FaultyFileSystem fs = FaultyFileSystem.over(real);
        fs.fillUp(size / 2);
        IOException e = assertThrows(IOException.class,
                () -> EvalPlots.recallCurves(REPORTS, fs.root().resolve("recall.png")));
        assertTrue(says(e, FaultyFileSystem.NO_SPACE), e.toString());
        assertEquals(List.of("whole.png"), names(), "no half-written or temporary file");

        fs.heal();
        EvalPlots.recallCurves(REPORTS, fs.root().resolve("recall.png"));
        assertArrayEquals(Files.readAllBytes(real.resolve("whole.png")),
                Files.readAllBytes(real.resolve("recall.png")));
    }

    @Test
    void aReadOnlyFolderIsRefusedWithTheFileNamed() throws IOException {
        FaultyFileSystem fs = FaultyFileSystem.over(real);
        fs.makeReadOnly(fs.root());
        AccessDeniedException e = assertThrows(AccessDeniedException.class,
                () -> EvalPlots.recallCurves(REPORTS, fs.root().resolve("recall.png")));
        assertTrue(FileErrors.describe(e).startsWith("permission denied: "), FileErrors.describe(e));
        assertEquals(List.of(), names());
    }
}
