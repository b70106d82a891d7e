package dev.align.eval.zeroshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.data.folder.ImageFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultilingualZeroShotTest {

    @TempDir
    Path root;

    private void file(String rel, String content) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
    }

    /**
     * Three emoji classes whose images point along e0, e1, e2. English names all three; German
     * only two (so every language is scored on those two); Thai and Japanese prompts are
     * embedded so that Thai is right on both and Japanese swaps them.
     */
    private ImageFolder threeClasses() throws IOException {
        file("1F34E/0.png", "1 0 0");          // red apple
        file("1F34E/1.png", "0.9 0.1 0");
        file("1F436/0.png", "0 1 0");          // dog face
        file("1F98A/0.png", "0 0 1");          // fox: no German name below
        file("classnames.txt", "1F34E\tred apple\n1F436\tdog face\n1F98A\tfox\n");
        file("classnames.en.txt", "1F34E\tred apple\n1F436\tdog face\n1F98A\tfox\n");
        file("classnames.de.txt", "1F34E\troter Apfel\n1F436\tHundegesicht\n");
        file("classnames.th.txt", "1F34E\tแอปเปิ้ลแดง\n1F436\tหน้าสุนัข\n1F98A\tจิ้งจอก\n");
        file("classnames.ja.txt", "1F34E\t赤いリンゴ\n1F436\t犬の顔\n1F98A\tキツネ\n");
        file("templates.en.txt", "{}\nan emoji of {}\n");
        return ImageFolder.open(root);
    }

    @Test
    void scoresEachLanguageOnTheClassesAllOfThemName() throws IOException {
        ImageFolder folder = threeClasses();
        FakeTextEncoder text = new FakeTextEncoder(Map.of(
                "red apple", new float[] {1, 0, 0}, "an emoji of red apple", new float[] {1, 0, 0},
                "dog face", new float[] {0, 1, 0}, "an emoji of dog face", new float[] {0, 1, 0},
                "roter Apfel", new float[] {1, 0, 0}, "Hundegesicht", new float[] {0, 1, 0},
                "แอปเปิ้ลแดง", new float[] {1, 0, 0}, "หน้าสุนัข", new float[] {0, 1, 0},
                "赤いリンゴ", new float[] {0, 1, 0}, "犬の顔", new float[] {1, 0, 0}));
        List<MultilingualZeroShot.Language> langs = new ArrayList<>();
        for (String code : List.of("en", "de", "th", "ja")) {
            langs.add(MultilingualZeroShot.read(root, code));
        }
        assertEquals(List.of("{}", "an emoji of {}"), langs.get(0).templates());
        assertEquals(List.of("{}"), langs.get(1).templates());     // no templates.de.txt
        ZeroShotEvaluatorTest.TextFileImages images = new ZeroShotEvaluatorTest.TextFileImages(3);
        MultilingualZeroShot.Report r = MultilingualZeroShot.evaluate("toy", folder, images,
                text, langs, 256, (d, t) -> {});
        assertEquals(List.of(3), images.callSizes);                // fox left out, images once
        assertEquals(2, r.classes());
        assertEquals(3, r.images());
        assertEquals(3, r.evaluated());
        List<String> codes = r.languages().stream().map(MultilingualZeroShot.LanguageScore::language)
                .toList();
        assertEquals(List.of("en", "de", "th", "ja"), codes);
        assertEquals(1.0, r.languages().get(0).top1(), 1e-15);
        assertEquals(1.0, r.languages().get(1).top1(), 1e-15);
        assertEquals(1.0, r.languages().get(2).top1(), 1e-15);
        assertEquals(0.0, r.languages().get(3).top1(), 1e-15);     // Japanese names swapped
        assertEquals(1.0, r.languages().get(3).top5(), 1e-15);     // min(5, 2 classes) = 2
        assertEquals(2, r.languages().get(0).templates());
        assertTrue(text.seen.containsAll(List.of("roter Apfel", "หน้าสุนัข", "犬の顔")));
        assertTrue(!text.seen.contains("fox") && !text.seen.contains("จิ้งจอก"),
                "classes not named in every language get no prompts: " + text.seen);
    }

    @Test
    void tiedNamesAreCountedAndGoToTheFirstClass() throws IOException {
        ImageFolder folder = threeClasses();
        file("classnames.xx.txt", "1F34E\tsame\n1F436\tsame\n1F98A\tother\n");
        FakeTextEncoder text = new FakeTextEncoder(Map.of("same", new float[] {1, 0, 0},
                "other", new float[] {0, 0, 1}));
        MultilingualZeroShot.Report r = MultilingualZeroShot.evaluate("toy", folder,
                new ZeroShotEvaluatorTest.TextFileImages(3), text,
                List.of(MultilingualZeroShot.read(root, "xx")), 2, (d, t) -> {});
        MultilingualZeroShot.LanguageScore s = r.languages().get(0);
        assertEquals(1, s.duplicateNames());
        assertEquals(3 / 4.0, s.top1(), 1e-15);   // both apples right; the dog loses the tie
    }

    @Test
    void missingOrMalformedNameFilesAreNamed() throws IOException {
        threeClasses();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MultilingualZeroShot.read(root, "fr"));
        assertTrue(e.getMessage().contains("classnames.fr.txt")
                && e.getMessage().contains("--languages fr"), e.getMessage());
        file("classnames.ru.txt", "1F34E\tкрасное яблоко\n1F436 без табуляции\n");
        e = assertThrows(IllegalArgumentException.class,
                () -> MultilingualZeroShot.read(root, "ru"));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        file("classnames.uk.txt", "1F98B\tметелик\n");   // names a folder that is not there
        ImageFolder folder = ImageFolder.open(root);
        MultilingualZeroShot.Language uk = MultilingualZeroShot.read(root, "uk");
        e = assertThrows(IllegalArgumentException.class, () -> MultilingualZeroShot.evaluate("t",
                folder, new ZeroShotEvaluatorTest.TextFileImages(3),
                new FakeTextEncoder(Map.of("x", new float[] {1, 0, 0})), List.of(uk), 8,
                (d, t) -> {}));
        assertTrue(e.getMessage().contains("named in every language"), e.getMessage());
    }
}
