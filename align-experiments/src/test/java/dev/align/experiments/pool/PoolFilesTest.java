package dev.align.experiments.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.core.json.Json;
import dev.align.data.shards.Sample;
import dev.align.data.shards.ShardReader;
import dev.align.data.shards.ShardReaderOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoolFilesTest {

    @TempDir
    Path dir;

    @Test
    void shardsHoldTheManifestsCaptionsInKeyOrderAndNoTruth() throws IOException {
        NoiseInjector.Result pool = NoiseInjector.build(Items.items(40, 30),
                Set.of(Items.concept(1), Items.concept(2)), Map.of("mdi", 0.2),
                NoiseConfig.defaults(), 3);
        String pattern = PoolFiles.writePool(pool, dir.resolve("pool"), 37);
        List<Sample> samples = new ArrayList<>();
        try (ShardReader r = ShardReader.open(ShardReaderOptions.of(pattern), 0)) {
            r.forEachRemaining(samples::add);
            assertEquals(Map.of(), r.skipped(), "every sample reads back");
        }
        assertEquals(pool.manifest().size(), samples.size());
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            ManifestEntry e = pool.manifest().get(i);
            assertEquals(e.key(), s.key());
            assertEquals(e.caption(), s.caption());
            assertArrayEquals(pool.images().get(i), s.image());
            assertEquals("{\"source\":\"" + e.source() + "\"}",
                    new String(s.members().get("json"), StandardCharsets.UTF_8));
        }
        assertEquals(pool.manifest(), PoolFiles.readManifest(dir.resolve("pool")
                .resolve(PoolFiles.MANIFEST)));
        assertEquals(pool.summary(), Json.read(dir.resolve("pool").resolve(PoolFiles.SUMMARY),
                PoolSummary.class));

        String clean = PoolFiles.writeClean(pool.cleanSet(), dir.resolve("clean"), 1000);
        try (ShardReader r = ShardReader.open(ShardReaderOptions.of(clean), 0)) {
            int n = 0;
            while (r.hasNext()) {
                Sample s = r.next();
                assertEquals(pool.cleanSet().get(n).caption(), s.caption());
                n++;
            }
            assertEquals(6, n, "20% of 30 icons");
        }
    }

    @Test
    void theSameSeedWritesTheSameFiles() throws IOException {
        for (String name : List.of("a", "b")) {
            NoiseInjector.Result pool = NoiseInjector.build(Items.items(20, 10), Set.of(),
                    Map.of(), NoiseConfig.defaults(), 5);
            PoolFiles.writePool(pool, dir.resolve(name), 1000);
        }
        for (String f : List.of("shards/00000.tar", PoolFiles.MANIFEST, PoolFiles.SUMMARY)) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(f)),
                    Files.readAllBytes(dir.resolve("b").resolve(f)), f);
        }
        assertTrue(Files.size(dir.resolve("a/shards/00000.tar")) > 0);
    }
}
