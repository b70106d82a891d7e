package dev.align.data.shards;

/**
 * One bin of a caption length histogram.
 *
 * @param minWords shortest caption in the bin, in whitespace-separated words
 * @param maxWords longest caption in the bin ({@link Integer#MAX_VALUE} for the open last bin)
 * @param count captions in the bin
 */
public record CaptionLengthBin(int minWords, int maxWords, long count) {}
