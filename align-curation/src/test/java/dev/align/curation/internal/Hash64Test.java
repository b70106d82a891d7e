package dev.align.curation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class Hash64Test {

    @Test
    void hashesAreGolden() {
        // from a Python transcription (FNV-1a over UTF-16 units, then SplitMix64's finaliser):
        // pair ids and entry counts written by earlier versions must not change
        assertEquals(7039330869597830169L, Hash64.of("a photo of a cat"));
        assertEquals(-780787492076525413L, Hash64.of(""));
        assertEquals(-3224565547724574587L, Hash64.of("\uD83D\uDE00"));     // one surrogate pair
        assertEquals(3709904902850433669L, Hash64.pair(Hash64.of("cat"), Hash64.of("dog")));
    }
}
