package dev.align.experiments.pool;

import dev.align.core.Checks;
import dev.align.core.json.JsonOptional;

/**
 * The truth about one pool pair, a line of {@code manifest.jsonl}.
 *
 * @param key the pair's key in the pool shards ({@code 000000017})
 * @param source the source kind of its image
 * @param sourceKey where its image came from inside the source
 * @param concept what its image shows
 * @param head whether its concept is one of the head concepts repeated to make the long tail
 * @param nearDuplicateOf for an added copy of a head concept's drawing, the key of the pair with
 *     the original drawing; {@code null} otherwise
 * @param jitter how that copy's image was changed; {@code null} for original drawings
 * @param defect what was done to its caption
 * @param caption the caption in the pool shards
 * @param originalCaption the caption the pair had before any defect (for copies: the reworded
 *     caption they were given)
 * @param captionFrom for {@link Defect#MISMATCH}, the key of the pair whose original caption
 *     this one carries; {@code null} otherwise
 */
public record ManifestEntry(String key, String source, String sourceKey, String concept,
        boolean head, @JsonOptional String nearDuplicateOf, @JsonOptional Jitter jitter,
        Defect defect, String caption, String originalCaption, @JsonOptional String captionFrom) {

    /** Checks consistency. */
    public ManifestEntry {
        Checks.checkArgument(key != null && concept != null && defect != null && caption != null
                && originalCaption != null, "manifest entry %s lacks a field", key);
        Checks.checkArgument((nearDuplicateOf == null) == (jitter == null),
                "manifest entry %s: nearDuplicateOf and jitter go together", key);
        Checks.checkArgument((captionFrom != null) == (defect == Defect.MISMATCH),
                "manifest entry %s: captionFrom is given exactly for mismatches", key);
    }

    /** Whether this pair is an added near-duplicate of a head concept's drawing. */
    public boolean nearDuplicate() {
        return nearDuplicateOf != null;
    }
}
