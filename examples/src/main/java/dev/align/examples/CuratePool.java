package dev.align.examples;

import dev.align.curation.metaclip.Metadata;
import dev.align.curation.pipeline.CurationConfig;
import dev.align.curation.pipeline.CurationPipeline;
import dev.align.curation.pipeline.CurationSummary;
import dev.align.curation.pipeline.StepSummary;
import dev.align.curation.pipeline.StepSyntax;
import dev.align.data.shards.ShardReader;
import dev.align.data.shards.ShardReaderOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Curates a pool of image-text shards: ALIGN's filtering rules, then MetaCLIP's balancing over
 * metadata built from the pool's own captions (its words and word pairs seen at least 5 times),
 * keeping at most {@code t} pairs per metadata entry.
 *
 * <pre>
 * examples/run CuratePool 'pool/{00000..00009}.tar' curated/ [t=10]
 * </pre>
 *
 * <p>Prints the metadata size, then one line per step and the total (300 synthetic pairs):
 * <pre>
 * metadata: 123 entries from 300 captions
 * align-rules    300 -> 300 pairs, dropped {}
 * metaclip       300 -> 295 pairs, dropped {sampled_out=5}
 * kept 295 of 300 pairs in curated/shards
 * </pre>
 * and writes the kept shards, {@code decisions.jsonl} and {@code summary.json} under the output
 * folder (which must not exist yet), the metadata beside it ({@code curated.metadata.txt}).
 */
public final class CuratePool {

    private CuratePool() {}

    /**
     * Runs the example.
     *
     * @param args the pool's shard pattern, the output folder, optionally {@code t=N}
     * @throws IOException if the pool cannot be read or the output written
     */
    public static void main(String[] args) throws IOException {
        String pool = args[0];
        Path out = Path.of(args[1]);
        long t = args.length > 2 ? Long.parseLong(args[2].replace("t=", "")) : 10;
        List<String> captions = new ArrayList<>();
        try (ShardReader reader = ShardReader.open(ShardReaderOptions.of(pool), 0)) {
            reader.forEachRemaining(sample -> captions.add(sample.caption()));
        }
        List<String> entries = Metadata.fromCaptions(captions, 5, 5);
        Path metadata = Path.of(out + ".metadata.txt");          // OUT itself must be new
        Metadata.write(entries, metadata);
        System.out.printf("metadata: %d entries from %d captions%n", entries.size(),
                captions.size());

        // The step syntax of ./align curate --steps; small images, so a lower size limit.
        CurationConfig config = CurationConfig.of(StepSyntax.parse("align-rules:minShorterSide=16,"
                + "metaclip:metadata=" + metadata + ",t=" + t + ",seed=0"));
        CurationSummary summary = new CurationPipeline(config, System.err).run(pool, out);
        for (StepSummary step : summary.steps()) {
            System.out.printf("%-12s %5d -> %d pairs, dropped %s%n", step.step(), step.pairsIn(),
                    step.pairsOut(), step.dropped());
        }
        System.out.printf("kept %d of %d pairs in %s%n", summary.pairsOut(), summary.pairsIn(),
                out.resolve(CurationPipeline.SHARDS));
    }
}
