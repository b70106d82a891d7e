package dev.align.models.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class TextPoolTest {

    /** Three rows of four ids: CLIP's end of text (the largest id) wherever it stands. */
    private static final long[] IDS = {
        49406, 320, 49407, 0,
        49406, 49407, 49407, 0,                  // a tie: the first one
        5, 4, 3, 2};

    @Test
    void argmaxPoolsTheFirstLargestIdOfEachRow() {
        assertArrayEquals(new int[] {2, 1, 0}, TextPool.ARGMAX.positions(IDS, 3, 4));
    }

    @Test
    void firstPoolsPositionZero() {
        assertArrayEquals(new int[] {0, 0, 0}, TextPool.FIRST.positions(IDS, 3, 4));
    }

    @Test
    void aRowOfOneIdPoolsIt() {
        assertArrayEquals(new int[] {0, 0}, TextPool.ARGMAX.positions(new long[] {7, 9}, 2, 1));
    }
}
