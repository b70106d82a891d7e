package dev.align.data.shards;

import java.util.List;

/**
 * How alike neighbouring samples are in the stored order of a set of shards, against what a
 * random order gives. Shards written grouped (by category, by class, variants of one item side
 * by side) leave a small shuffle buffer full of near-duplicates, which are false negatives of one
 * another in a contrastive batch; this report finds them before a run wastes its steps.
 *
 * @param neighbourPairs consecutive sample pairs compared
 * @param fields the {@code .json} fields whose values repeat in the set, with how often
 *     neighbours share them; sorted by name
 * @param captionOverlap mean word overlap (Jaccard index of the lower-cased word sets) of
 *     neighbouring captions
 * @param randomCaptionOverlap the same over random pairs of captions (a seeded sample of up to
 *     {@value ShardInspector#CAPTION_SAMPLE} captions)
 * @param warnings what looks correlated and what to do about it; empty when the order looks
 *     random
 */
public record OrderReport(long neighbourPairs, List<FieldRepeats> fields, double captionOverlap,
        double randomCaptionOverlap, List<String> warnings) {

    /** Copies the lists. */
    public OrderReport {
        fields = List.copyOf(fields);
        warnings = List.copyOf(warnings);
    }

    /**
     * One metadata field.
     *
     * @param field the top-level {@code .json} key (scalar values only)
     * @param samples samples that have it
     * @param distinctValues values it takes
     * @param neighbours fraction of neighbouring pairs (both having the field) with equal values
     * @param random the fraction a random order gives: the chance that two distinct samples
     *     drawn at random share the value, {@code sum n_v (n_v - 1) / (n (n - 1))}
     */
    public record FieldRepeats(String field, long samples, long distinctValues, double neighbours,
            double random) {}
}
