package dev.align.curation.worldwide;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WordSegmenterTest {

    @Test
    void leavesSpaceDelimitedTextUnchanged() {
        String en = "fox face, animal";
        assertSame(en, WordSegmenter.segment(en));
        String ru = "красное яблоко; фрукт";
        assertSame(ru, WordSegmenter.segment(ru));
        String hi = "मुस्कुराता चेहरा";                          // Devanagari has spaces
        assertSame(hi, WordSegmenter.segment(hi));
    }

    @Test
    void segmentsEachScriptWrittenWithoutSpaces() {
        assertEquals("リンゴ と 犬", WordSegmenter.segment("リンゴと犬"));          // Japanese
        assertEquals("我 喜欢 苹果", WordSegmenter.segment("我喜欢苹果"));          // Chinese
        assertEquals("หน้า ยิ้ม", WordSegmenter.segment("หน้ายิ้ม"));               // Thai
        assertEquals("iPhone ケース", WordSegmenter.segment("iPhoneケース"));
        assertEquals("犬 , fox", WordSegmenter.segment("犬, fox"));
        assertEquals("犬 、 猫", WordSegmenter.segment("犬、猫"));
        assertTrue(WordSegmenter.isNoSpaceScript('ー'), "prolonged sound mark, script Common");
    }

    /** Segmenting twice changes nothing more: entries and captions meet in one form. */
    @Test
    void isIdempotent() {
        for (String s : List.of("リンゴと犬", "我喜欢苹果", "หน้ายิ้ม", "iPhoneケース", "a b")) {
            String once = WordSegmenter.segment(s);
            assertEquals(once, WordSegmenter.segment(once), s);
        }
    }

    /** Matching on each script: whole words match, parts of words do not. */
    @Test
    void matchingFindsWholeWordsInEveryScript() {
        WorldwideMatcher m = WorldwideMatcher.build(Map.of(
                "ja", List.of("リンゴ", "リン", "犬"),
                "zh", List.of("苹果", "苹", "喜欢 苹果"),
                "th", List.of("ยิ้ม", "หน้า", "ยิ้"),
                "en", List.of("cat dog", "dog", "fox face")));
        assertArrayEquals(new int[] {0, 2}, m.match("赤いリンゴと犬", "ja"));
        assertArrayEquals(new int[] {0, 2}, m.match("我喜欢苹果", "zh"), "entries are segmented too");
        assertArrayEquals(new int[] {0, 1}, m.match("หน้ายิ้ม", "th"));
        assertArrayEquals(new int[] {1}, m.match("cat, dog", "en"), "MetaCLIP's own semantics");
        assertArrayEquals(new int[] {2}, m.match("a fox face emoji", "en"));
        assertArrayEquals(new int[0], m.match("リンゴ", "de"), "no German metadata");
        assertArrayEquals(new int[0], m.match("リンゴ", null));
        assertArrayEquals(new int[0], m.match("fox face", "ja"), "only its own language's list");
    }
}
