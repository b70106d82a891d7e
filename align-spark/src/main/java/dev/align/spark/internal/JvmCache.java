package dev.align.spark.internal;

import java.util.function.Supplier;

/**
 * Holds one expensive executor-side object (a metadata matcher, a loaded model) per JVM, built on
 * first use by whichever task needs it and shared by the tasks that run in that JVM afterwards.
 * The object is identified by a key (a broadcast id and what was built from it); asking for
 * another key replaces it, so a long-lived executor keeps at most one per cache.
 *
 * @param <T> the cached type; must be safe to share between threads
 */
public final class JvmCache<T> {

    private Object key;
    private T value;

    /**
     * @param key what identifies the object (equal keys give the same object)
     * @param build builds it when missing; runs at most once per key while the key stays current
     * @return the cached or newly built object
     */
    public synchronized T get(Object key, Supplier<T> build) {
        if (value == null || !this.key.equals(key)) {
            value = null; // let the old one be collected before the new one is built
            T built = build.get();
            this.key = key;
            value = built;
        }
        return value;
    }
}
