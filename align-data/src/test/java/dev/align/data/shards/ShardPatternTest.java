package dev.align.data.shards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShardPatternTest {

    @Test
    void keepsZeroPaddingOfRanges() {
        List<String> names = ShardPattern.expand("data/{00000..00099}.tar");
        assertEquals(100, names.size());
        assertEquals("data/00000.tar", names.get(0));
        assertEquals("data/00099.tar", names.get(99));
        assertEquals(List.of("08", "09", "10"), ShardPattern.expand("{08..10}"));
    }

    @Test
    void unpaddedRangesCountUpAndDown() {
        assertEquals(List.of("s8", "s9", "s10"), ShardPattern.expand("s{8..10}"));
        assertEquals(List.of("3", "2", "1"), ShardPattern.expand("{3..1}"));
    }

    @Test
    void commaListsAndSeveralBracesMakeACartesianProduct() {
        assertEquals(List.of("a/0.tar", "a/1.tar", "b/0.tar", "b/1.tar"),
                ShardPattern.expand("{a,b}/{0..1}.tar"));
        assertEquals(List.of("xa", "xb1", "xb2"), ShardPattern.expand("x{a,b{1..2}}"));
    }

    @Test
    void doubleColonJoinsIndependentPatterns() {
        assertEquals(List.of("a.tar", "b0.tar", "b1.tar"),
                ShardPattern.expand("a.tar::b{0..1}.tar"));
    }

    @Test
    void plainNamesAndSingleAlternativesStayLiteral() {
        assertEquals(List.of("data/00000.tar"), ShardPattern.expand("data/00000.tar"));
        assertEquals(List.of("{x}.tar"), ShardPattern.expand("{x}.tar"));
    }

    @Test
    void rejectsUnbalancedBracesAndBadRanges() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ShardPattern.expand("data/{0..3.tar"));
        assertTrue(e.getMessage().contains("data/{0..3.tar"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShardPattern.expand("a}{"));
        assertThrows(IllegalArgumentException.class, () -> ShardPattern.expand("{a..3}"));
        assertThrows(IllegalArgumentException.class, () -> ShardPattern.expand(" "));
        assertThrows(IllegalArgumentException.class, () -> ShardPattern.expand("{0..9999999}"));
    }
}
