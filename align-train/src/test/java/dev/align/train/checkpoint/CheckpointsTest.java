package dev.align.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.align.models.clip.ClipModel;
import dev.align.models.config.ClipConfig;
import dev.align.models.io.Provenance;
import dev.align.train.optim.AdamW;
import dev.align.train.optim.AdamWConfig;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {

    @TempDir
    Path dir;

    private static Provenance provenance() {
        return new Provenance("{}", 1, "test", "0.36.0", "PyTorch", "17", "Linux", "amd64", "now");
    }

    @Test
    void keepsTheNewestAndFallsBackPastACorruptOne() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.create(ClipConfig.test(), m, DataType.FLOAT32, 1);
            try (AdamW opt = new AdamW(model.openClipParameters(), AdamWConfig.openClip())) {
                Checkpoints cps = new Checkpoints(dir, 2);
                for (long step : new long[] {5, 10, 15}) {
                    cps.save(model, opt, new TrainState(step, step * 8, step, null, null), provenance());
                }
                List<Path> kept = cps.listNewestFirst();
                assertEquals(List.of(cps.pathOf(15), cps.pathOf(10)), kept, "keeps the newest two");
                assertEquals(15, cps.latestValid().orElseThrow().state().step());
                assertEquals(120, cps.latestValid().orElseThrow().state().dataPosition());

                Path model15 = cps.pathOf(15).resolve(Checkpoints.MODEL);
                try (FileChannel ch = FileChannel.open(model15, StandardOpenOption.WRITE)) {
                    ch.truncate(Files.size(model15) / 2);                 // a torn write
                }
                assertEquals(10, cps.latestValid().orElseThrow().state().step(), "falls back");

                Files.createDirectories(dir.resolve(".tmp-step-00000020-1"));  // an interrupted save
                cps.listNewestFirst();
                assertFalse(Files.exists(dir.resolve(".tmp-step-00000020-1")), "leftovers are removed");
                assertTrue(cps.latestValid().isPresent());
            }
        }
    }
}
