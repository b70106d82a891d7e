package dev.align.curation.worldwide;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ScriptLanguageIdTest {

    private final ScriptLanguageId lid = new ScriptLanguageId(
            Set.of("en", "de", "ja", "zh", "zh-hant", "th", "ru", "uk", "hi", "ko"));

    private LanguageGuess guess(String language, LanguageGuess.Source source) {
        return new LanguageGuess(language, source);
    }

    @Test
    void aScriptOfOneLanguageNamesItWhateverWasRecorded() {
        assertEquals(guess("th", LanguageGuess.Source.IDENTIFIED), lid.identify("หน้ายิ้ม", "en"));
        assertEquals(guess("ko", LanguageGuess.Source.IDENTIFIED), lid.identify("웃는 얼굴", null));
        assertEquals(guess("hi", LanguageGuess.Source.IDENTIFIED), lid.identify("मुस्कुराता", "de"));
        assertEquals(guess("ja", LanguageGuess.Source.IDENTIFIED), lid.identify("犬の顔", null),
                "kana makes Han text Japanese");
    }

    @Test
    void theRecordIsKeptWhenTheScriptAgreesOrCannotTell() {
        assertEquals(guess("zh-hant", LanguageGuess.Source.RECORDED), lid.identify("狗臉", "zh-hant"));
        assertEquals(guess("ja", LanguageGuess.Source.RECORDED), lid.identify("犬", "ja"));
        assertEquals(guess("uk", LanguageGuess.Source.RECORDED), lid.identify("собака", "uk"));
        assertEquals(guess("de", LanguageGuess.Source.RECORDED), lid.identify("Hund", "de"));
        assertEquals(guess("th", LanguageGuess.Source.RECORDED), lid.identify("dog", "th"),
                "Latin names many languages: the record stands");
        assertEquals(guess(null, LanguageGuess.Source.NONE), lid.identify("dog", null));
        assertEquals(guess(null, LanguageGuess.Source.NONE), lid.identify("собака", null),
                "Cyrillic: Russian or Ukrainian");
        assertEquals("Latn", ScriptLanguageId.dominantScript("fox 犬 face"));
        assertEquals(null, ScriptLanguageId.dominantScript("123 !?"));
    }
}
