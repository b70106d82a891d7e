package dev.align.data.shards;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One WebDataset sample: the consecutive tar members that share a key, by extension.
 *
 * <p>Key rule (WebDataset's {@code base_plus_ext}): a member path is split at the first dot of
 * its file name, the part after the last {@code /}. Everything before that dot, directories
 * included, is the key; everything after it, lower-cased, is the extension. So
 * {@code part1/000123.seg.png} has key {@code part1/000123} and extension {@code seg.png}.
 *
 * @param shard the shard it came from, as named in the shard list
 * @param key the sample key
 * @param members member bytes by extension ({@code jpg}, {@code txt}, {@code json}, ...); kept
 *     sorted by extension and unmodifiable (the arrays themselves are not copied)
 */
public record Sample(String shard, String key, Map<String, byte[]> members) {

    /** Image extensions, in the order of preference when a sample has several. */
    public static final List<String> IMAGE_EXTENSIONS = List.of("jpg", "jpeg", "png", "webp");

    /** The caption extension. */
    public static final String CAPTION_EXTENSION = "txt";

    /** Copies the member map into a sorted, unmodifiable one. */
    public Sample {
        members = Collections.unmodifiableMap(new TreeMap<>(members));
    }

    /** The extension of the image member, or {@code null} if the sample has none. */
    public String imageExtension() {
        for (String ext : IMAGE_EXTENSIONS) {
            if (members.containsKey(ext)) {
                return ext;
            }
        }
        return null;
    }

    /** The encoded image bytes, or {@code null} if the sample has no image. */
    public byte[] image() {
        String ext = imageExtension();
        return ext == null ? null : members.get(ext);
    }

    /**
     * The caption, decoded as strict UTF-8.
     *
     * @throws IllegalStateException if there is no caption or it is not valid UTF-8 (samples
     *     from {@link ShardReader} always have a valid one)
     */
    public String caption() {
        byte[] bytes = members.get(CAPTION_EXTENSION);
        if (bytes == null) {
            throw new IllegalStateException("sample " + key + " of " + shard + " has no caption");
        }
        try {
            return decodeUtf8(bytes);
        } catch (CharacterCodingException e) {
            throw new IllegalStateException(
                    "caption of sample " + key + " of " + shard + " is not UTF-8", e);
        }
    }

    /** Decodes UTF-8, failing on malformed or unmappable input instead of replacing it. */
    static String decodeUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }
}
