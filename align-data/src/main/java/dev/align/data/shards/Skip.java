package dev.align.data.shards;

/**
 * One skipped shard, member or sample, with enough context to find it.
 *
 * @param reason why it was skipped
 * @param shard the shard name as given in the shard list
 * @param key the sample key, or the member name when there is no key, or {@code ""} for a shard
 * @param detail what exactly was wrong
 */
public record Skip(SkipReason reason, String shard, String key, String detail) {

    /** The warning text: reason, shard, key and detail. */
    public String message() {
        return "skipped " + reason.key() + ": shard " + shard + ", key '" + key + "': " + detail;
    }
}
