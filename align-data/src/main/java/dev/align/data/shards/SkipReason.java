package dev.align.data.shards;

import dev.align.data.image.ImageDecodeException;

/**
 * Why a shard, a member or a sample was skipped. Each reason is counted under its
 * {@link #key()} (for example {@code missing_caption}) in the skip metrics.
 */
public enum SkipReason {
    /** The shard file cannot be opened; all its samples are missing. */
    UNREADABLE_SHARD("unreadable_shard"),
    /**
     * The tar ends early (no end-of-archive blocks) or has a broken header: the rest of the shard
     * is lost, including the sample being read at the break (it cannot be known complete).
     */
    TRUNCATED_SHARD("truncated_shard"),
    /** A member name is absolute or has a {@code ..} component. */
    UNSAFE_PATH("unsafe_path"),
    /** A member name has no {@code KEY.EXT} form (no dot in the file name, or a leading dot). */
    NO_EXTENSION("no_extension"),
    /** A sample has two members with the same extension; the first is kept. */
    DUPLICATE_MEMBER("duplicate_member"),
    /** A member is larger than the reader's byte limit (a bogus or hostile size field). */
    OVERSIZED_MEMBER("oversized_member"),
    /** A sample has no {@code jpg}, {@code jpeg}, {@code png} or {@code webp} member. */
    MISSING_IMAGE("missing_image"),
    /** A sample has no {@code txt} member. */
    MISSING_CAPTION("missing_caption"),
    /** A caption is empty or only whitespace. */
    EMPTY_CAPTION("empty_caption"),
    /** A caption is not valid UTF-8 (decoded strictly, malformed input reported). */
    INVALID_UTF8("invalid_utf8"),
    /** An image header or its pixel data cannot be decoded. */
    CORRUPT_IMAGE("corrupt_image"),
    /** A WebP image and no ImageIO WebP reader on the class path. */
    UNSUPPORTED_IMAGE("unsupported_image"),
    /** The image header claims more pixels than the limit (a possible decompression bomb). */
    TOO_LARGE("too_large");

    private final String key;

    SkipReason(String key) {
        this.key = key;
    }

    /** The metric name, in snake case. */
    public String key() {
        return key;
    }

    /** The reason that matches an image decoding failure. */
    public static SkipReason of(ImageDecodeException.Kind kind) {
        return switch (kind) {
            case CORRUPT -> CORRUPT_IMAGE;
            case UNSUPPORTED -> UNSUPPORTED_IMAGE;
            case TOO_LARGE -> TOO_LARGE;
        };
    }
}
