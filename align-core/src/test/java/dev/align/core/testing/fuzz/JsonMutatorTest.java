package dev.align.core.testing.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonMutatorTest {

    /**
     * The long fuzz run of EmojiLabelsFuzzTest (seed 1) stopped in the generator: copies of copies
     * of a large array serialized to more than 2^31 characters, which Jackson cannot hold. A tree
     * that shares one 1 MiB string 3,000 times stands for it (3 GB as text, 1 MiB in memory).
     */
    @Test
    void aTreeWhoseTextWouldPassTheBoundIsNeverWrittenOut() {
        TextNode mib = TextNode.valueOf("x".repeat(1 << 20));
        ArrayNode huge = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < 3000; i++) {
            huge.add(mib);
        }
        long start = System.nanoTime();
        assertNull(JsonMutator.bounded(huge));
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "stops at the bound, not at 3 GB");
        assertEquals("[\"a\",1]", JsonMutator.bounded(JsonMutator.parse("[\"a\", 1]")));
    }

    @Test
    void mutantsOfALargeSeedStayUnderTheBound() {
        String seed = "[" + String.join(",", java.util.Collections.nCopies(64,
                "{\"label\":\"" + "y".repeat(16 << 10) + "\",\"tags\":[\"a\",\"b\"]}")) + "]";
        byte[] seedBytes = seed.getBytes(StandardCharsets.UTF_8);
        Random r = new Random(1);
        for (int i = 0; i < 200; i++) {
            Mutator m = new Mutator(r);
            byte[] out = new JsonMutator(m).mutate(JsonMutator.parse(seed), List.of(seedBytes));
            assertTrue(out.length <= 2 * JsonMutator.MAX_BYTES, i + ": " + out.length + " bytes");
        }
    }
}
