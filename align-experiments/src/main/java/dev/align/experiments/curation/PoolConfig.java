package dev.align.experiments.curation;

import dev.align.core.Checks;
import dev.align.core.json.JsonOptional;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where the pool's real pairs come from.
 *
 * @param sources the sources, each kind once; OpenMoji is never one (it is the evaluation set)
 * @param imageSize longer side of the imported images in pixels, default 64
 * @param shardSize samples per pool shard, default 1000
 */
public record PoolConfig(List<SourceConfig> sources, @JsonOptional Integer imageSize,
        @JsonOptional Integer shardSize) {

    /** Applies defaults and checks values. */
    public PoolConfig {
        Checks.checkArgument(sources != null && !sources.isEmpty(), "pool.sources must name at "
                + "least one source");
        sources = List.copyOf(sources);
        Set<String> seen = new HashSet<>();
        for (SourceConfig s : sources) {
            Checks.checkArgument(s != null && seen.add(s.kind()), "pool.sources names %s twice",
                    s == null ? null : s.kind());
        }
        imageSize = imageSize == null ? 64 : imageSize;
        shardSize = shardSize == null ? 1000 : shardSize;
        Checks.checkArgument(imageSize >= 8 && imageSize <= 1024, "pool.imageSize must be in "
                + "[8, 1024], got %s", imageSize);
        Checks.checkArgument(shardSize >= 1, "pool.shardSize must be >= 1, got %s", shardSize);
    }
}
