package dev.align.experiments.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JunkCaptionsTest {

    @Test
    void everyKindIsNonBlankAndSeeded() {
        for (Defect kind : Defect.JUNK) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                String a = JunkCaptions.generate(kind, "red apple, fruit", new SplittableRandom(i));
                String b = JunkCaptions.generate(kind, "red apple, fruit", new SplittableRandom(i));
                assertEquals(a, b);
                assertFalse(a.isBlank(), kind + " gave a blank caption");
                seen.add(a);
            }
            assertTrue(seen.size() > 5, kind + " gave only " + seen);
        }
    }

    @Test
    void soupBorrowsOnlyFromItsOwnCaption() {
        for (int i = 0; i < 200; i++) {
            String soup = JunkCaptions.generate(Defect.JUNK_SOUP, "Red Apple", new SplittableRandom(i));
            String[] words = soup.split(" ");
            assertTrue(words.length >= 5 && words.length <= 12, soup);
            for (String w : words) {
                assertTrue(JunkCaptions.SOUP.contains(w) || w.equals("red") || w.equals("apple"),
                        soup);
            }
        }
    }

    @Test
    void rejectsAKindThatIsNotJunk() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JunkCaptions.generate(Defect.MISMATCH, "x", new SplittableRandom(0)));
        assertTrue(e.getMessage().contains("not a junk kind"), e.getMessage());
    }
}
