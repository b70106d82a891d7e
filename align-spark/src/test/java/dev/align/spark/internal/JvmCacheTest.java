package dev.align.spark.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JvmCacheTest {

    @Test
    void buildsOncePerKeyAndReplacesOnANewKey() {
        JvmCache<Object> cache = new JvmCache<>();
        AtomicInteger builds = new AtomicInteger();
        Object a = cache.get("a", () -> new Object[] {builds.incrementAndGet()});
        assertSame(a, cache.get("a", () -> new Object[] {builds.incrementAndGet()}));
        assertEquals(1, builds.get());
        Object b = cache.get("b", () -> new Object[] {builds.incrementAndGet()});
        assertEquals(2, builds.get());
        assertSame(b, cache.get("b", Object::new));
        cache.get("a", () -> new Object[] {builds.incrementAndGet()});
        assertEquals(3, builds.get()); // "a" was replaced by "b", so it is built again
    }
}
