package dev.align.curation.rules;

import dev.align.core.Checks;
import dev.align.curation.internal.Hash64;
import dev.align.curation.internal.LongCounter;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * ALIGN's filters over a pool, in two deterministic passes: {@link #count} gathers the pool's
 * frequencies (distinct captions per image, distinct images per caption, unigram and bigram
 * counts), then {@link Counts#hits} judges each pair against them. The result of a pair depends
 * only on the pair and on the pool as a multiset, never on order.
 *
 * <p>Identities: an image is its {@link ImageFacts#contentHash()}; a caption is its
 * {@link CaptionWords} joined by single spaces (so {@code "Image"} and {@code "image!"} are the
 * same alt-text), hashed to 64 bits ({@link Hash64}). Sharing counts are over <em>distinct</em>
 * (caption, image) combinations: the same pair repeated does not make its caption "shared".
 * Tokens are the caption's words (unigrams) and adjacent word pairs (bigrams); their counts are
 * occurrences over all pairs of the pool (a word twice in a caption counts twice).
 *
 * <p>Pairs without {@link ImageFacts} (a caption-only pool) are judged on the caption rules only:
 * size, aspect and both sharing rules need the image.
 */
public final class AlignRules {

    private final AlignRulesConfig config;

    /** @param config the thresholds */
    public AlignRules(AlignRulesConfig config) {
        Checks.checkArgument(config != null, "config must not be null");
        this.config = config;
    }

    /** @return the thresholds */
    public AlignRulesConfig config() {
        return config;
    }

    /**
     * The counting pass.
     *
     * @param captions the pool's captions
     * @param images per pair its image facts, or {@code null} for a caption-only pool (or an
     *     element {@code null} for a pair without image)
     * @return the pool's frequencies
     */
    public Counts count(List<String> captions, List<ImageFacts> images) {
        Checks.checkArgument(images == null || images.size() == captions.size(),
                "%s captions but %s images", captions.size(), images == null ? 0 : images.size());
        LongCounter tokens = new LongCounter();
        LongCounter distinctPairs = new LongCounter();
        LongCounter captionsPerImage = new LongCounter();
        LongCounter imagesPerCaption = new LongCounter();
        boolean countTokens = config.rareTokenMode() != RareTokenMode.OFF;
        for (int i = 0; i < captions.size(); i++) {
            List<String> words = CaptionWords.words(captions.get(i));
            if (countTokens) {
                forEachToken(words, tokens::add);
            }
            ImageFacts image = images == null ? null : images.get(i);
            if (image != null) {
                long caption = Hash64.of(String.join(" ", words));
                if (distinctPairs.add(Hash64.pair(caption, image.contentHash())) == 1) {
                    captionsPerImage.add(image.contentHash());
                    imagesPerCaption.add(caption);
                }
            }
        }
        return new Counts(tokens, captionsPerImage, imagesPerCaption, rareBelow(tokens));
    }

    /** A token is rare when its count is below this: max(minCount, count of the K-th token). */
    private long rareBelow(LongCounter tokens) {
        long below = config.rareTokenMinCount();
        if (tokens.size() > config.rareTokenVocabulary()) {
            int[] counts = tokens.counts();
            Arrays.sort(counts);
            long kth = counts[counts.length - (int) (long) config.rareTokenVocabulary()];
            below = Math.max(below, kth);
        }
        return below;
    }

    private interface TokenSink {
        void accept(long hash);
    }

    /** Unigram hashes, then each bigram as the ordered pair hash of its two words' hashes. */
    private static void forEachToken(List<String> words, TokenSink sink) {
        long previous = 0;
        for (int w = 0; w < words.size(); w++) {
            long h = Hash64.of(words.get(w));
            sink.accept(h);
            if (w > 0) {
                sink.accept(Hash64.pair(previous, h));
            }
            previous = h;
        }
    }

    /** The pool's frequencies, and the decision pass that uses them. Immutable after counting. */
    public final class Counts {
        private final LongCounter tokens;
        private final LongCounter captionsPerImage;
        private final LongCounter imagesPerCaption;
        private final long rareBelow;

        private Counts(LongCounter tokens, LongCounter captionsPerImage,
                LongCounter imagesPerCaption, long rareBelow) {
            this.tokens = tokens;
            this.captionsPerImage = captionsPerImage;
            this.imagesPerCaption = imagesPerCaption;
            this.rareBelow = rareBelow;
        }

        /** @return distinct unigrams and bigrams in the pool */
        public int distinctTokens() {
            return tokens.size();
        }

        /** @return a token seen fewer times than this is rare */
        public long rareBelow() {
            return rareBelow;
        }

        /**
         * The rules a pair breaks.
         *
         * @param caption its caption
         * @param image its image facts, or {@code null} (caption rules only)
         * @return the broken rules, in {@link RuleHit} order; empty if the pair passes
         */
        public Set<RuleHit> hits(String caption, ImageFacts image) {
            EnumSet<RuleHit> hits = EnumSet.noneOf(RuleHit.class);
            List<String> words = CaptionWords.words(caption);
            if (image != null) {
                int shorter = Math.min(image.width(), image.height());
                int longer = Math.max(image.width(), image.height());
                if (shorter < config.minShorterSide()) {
                    hits.add(RuleHit.IMAGE_TOO_SMALL);
                }
                if (longer > config.maxAspectRatio() * shorter) {
                    hits.add(RuleHit.ASPECT_RATIO);
                }
                if (captionsPerImage.get(image.contentHash()) > config.maxCaptionsPerImage()) {
                    hits.add(RuleHit.IMAGE_SHARED);
                }
                if (imagesPerCaption.get(Hash64.of(String.join(" ", words)))
                        > config.maxImagesPerCaption()) {
                    hits.add(RuleHit.CAPTION_SHARED);
                }
            }
            if (words.size() < config.minWords()) {
                hits.add(RuleHit.TOO_FEW_WORDS);
            }
            if (words.size() > config.maxWords()) {
                hits.add(RuleHit.TOO_MANY_WORDS);
            }
            if (config.rareTokenMode() != RareTokenMode.OFF && !words.isEmpty()) {
                int[] seen = new int[2]; // [tokens, rare tokens]
                forEachToken(words, h -> {
                    seen[0]++;
                    if (tokens.get(h) < rareBelow) {
                        seen[1]++;
                    }
                });
                boolean rare = config.rareTokenMode() == RareTokenMode.ANY ? seen[1] > 0
                        : seen[1] == seen[0];
                if (rare) {
                    hits.add(RuleHit.RARE_TOKENS);
                }
            }
            return hits;
        }
    }
}
