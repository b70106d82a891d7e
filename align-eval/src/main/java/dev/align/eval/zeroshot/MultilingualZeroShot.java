package dev.align.eval.zeroshot;

import static dev.align.core.Checks.checkArgument;

import dev.align.data.folder.ImageFolder;
import dev.align.eval.Progress;
import dev.align.eval.embed.EmbeddingResult;
import dev.align.eval.embed.ImageEncoder;
import dev.align.eval.embed.TextEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Zero-shot classification of one {@link ImageFolder} in several languages side by side: the
 * same images, the same classes, each language's class names and prompt templates (MetaCLIP 2
 * and mSigLIP report zero-shot this way, per language on translated class names).
 *
 * <p>Class names per language come from {@code classnames.<lang>.txt} in the folder
 * ({@code folder<TAB>name} lines, as {@code ./align data import emoji|openmoji --languages}
 * writes them: the CLDR label of the emoji whose code points name the folder). Unlike
 * {@code classnames.txt} such a file may leave classes out; the evaluation then runs over the
 * classes every requested language names (and the folder still has), so that the languages are
 * scored on the same task and their numbers compare. Templates come from
 * {@code templates.<lang>.txt} when present, else {@code {}} alone.
 *
 * <p>Images are embedded once; each language then builds its own {@link ZeroShotClassifier}
 * (prompt embeddings averaged per class, as OpenCLIP) and is scored top-1 and top-5 exactly as
 * {@link ZeroShotEvaluator} scores a single language (ties go to the lowest class index).
 */
public final class MultilingualZeroShot {

    /** The per-language class names file in an evaluation folder: {@code classnames.LANG.txt}. */
    public static String classNamesFile(String language) {
        return "classnames." + language + ".txt";
    }

    /** The per-language templates file in an evaluation folder: {@code templates.LANG.txt}. */
    public static String templatesFile(String language) {
        return "templates." + language + ".txt";
    }

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private MultilingualZeroShot() {}

    /**
     * One language's prompts.
     *
     * @param code the language code, as in the file names ({@code de}, {@code zh-hant})
     * @param classNames readable name per class folder; folders not listed are not named in
     *     this language
     * @param templates prompt templates with {@code {}}
     */
    public record Language(String code, Map<String, String> classNames, List<String> templates) {

        /** Checks the fields and copies them. */
        public Language {
            checkArgument(code != null && !code.isBlank(), "language code is blank");
            checkArgument(classNames != null && !classNames.isEmpty(),
                    "language %s names no class", code);
            classNames.forEach((f, n) -> checkArgument(n != null && !n.isBlank(),
                    "language %s: the name of class folder %s is blank", code, f));
            templates = Templates.of(templates);
            classNames = Map.copyOf(classNames);
        }
    }

    /**
     * One language's scores.
     *
     * @param language its code
     * @param top1 share of evaluated images whose class ranks first
     * @param top5 share whose class ranks among the first {@code min(5, classes)}
     * @param templates prompts per class
     * @param duplicateNames classes whose name in this language an earlier class already has
     *     (their prompts are identical, so they tie and the earlier class wins)
     */
    public record LanguageScore(String language, double top1, double top5, int templates,
            int duplicateNames) {}

    /**
     * The scores of every language on the same classes and images.
     *
     * @param dataset the name reported
     * @param classes classes evaluated (named in every language)
     * @param images images of those classes
     * @param evaluated images that could be read and were scored
     * @param failed images that could not be read (skipped)
     * @param languages one score per language, in the order given
     */
    public record Report(String dataset, int classes, int images, int evaluated, int failed,
            List<LanguageScore> languages) {}

    /**
     * Reads a language's names and templates from an evaluation folder.
     *
     * @param folder the ImageFolder root
     * @param code the language code
     * @throws IllegalArgumentException if the code is not a plain name, or
     *     {@code classnames.<code>.txt} is missing, empty or malformed (the message names the file
     *     and line), or {@code templates.<code>.txt} is malformed (the message names the file)
     * @throws IOException if a file cannot be read
     */
    public static Language read(Path folder, String code) throws IOException {
        checkArgument(code != null && CODE.matcher(code).matches(), "'%s' is no language code "
                + "(letters, digits, '-' and '_', such as en, de, zh-hant)", code);
        Path names = folder.resolve(classNamesFile(code));
        checkArgument(Files.isRegularFile(names), "%s has no %s: import the set with "
                + "--languages %s (./align data import emoji|openmoji) to name its classes in %s",
                folder, classNamesFile(code), code, code);
        Map<String, String> byFolder = new LinkedHashMap<>();
        String[] lines = utf8(names).split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() && i == lines.length - 1) {
                continue;
            }
            int tab = line.indexOf('\t');
            checkArgument(tab > 0 && line.indexOf('\t', tab + 1) < 0 && tab < line.length() - 1,
                    "%s line %s: expected 'folder<TAB>name', got '%s'", names, i + 1, line);
            String name = line.substring(tab + 1).strip();
            checkArgument(!name.isEmpty(), "%s line %s: the name of folder '%s' is blank", names,
                    i + 1, line.substring(0, tab));
            String before = byFolder.put(line.substring(0, tab), name);
            checkArgument(before == null, "%s line %s: folder '%s' is listed twice", names, i + 1,
                    line.substring(0, tab));
        }
        checkArgument(!byFolder.isEmpty(), "%s names no class: expected 'folder<TAB>name' lines",
                names);
        Path t = folder.resolve(templatesFile(code));
        List<String> templates = Files.isRegularFile(t) ? Templates.read(t) : Templates.identity();
        return new Language(code, byFolder, templates);
    }

    /**
     * Evaluates every language on the classes they all name.
     *
     * @param dataset the name to report
     * @param folder images and labels (already restricted with {@link ImageFolder#onlyClasses}
     *     if wanted)
     * @param images embeds the images (once)
     * @param texts embeds the prompts
     * @param languages at least one, distinct codes
     * @param chunk images per encoder call, {@code >= 1}
     * @param progress told after every chunk of images
     * @return the report
     * @throws IllegalArgumentException if the languages share no class of the folder, or no
     *     image could be read
     */
    public static Report evaluate(String dataset, ImageFolder folder, ImageEncoder images,
            TextEncoder texts, List<Language> languages, int chunk, Progress progress) {
        checkArgument(languages != null && !languages.isEmpty(), "no language given");
        checkArgument(chunk >= 1, "chunk must be >= 1, got %s", chunk);
        Set<String> codes = new HashSet<>();
        for (Language l : languages) {
            checkArgument(codes.add(l.code()), "language %s is given twice", l.code());
        }
        List<String> shared = new ArrayList<>();
        for (String f : folder.classFolders()) {
            boolean all = true;
            for (Language l : languages) {
                all &= l.classNames().containsKey(f);
            }
            if (all) {
                shared.add(f);
            }
        }
        checkArgument(!shared.isEmpty(), "no class of %s is named in every language %s: the "
                + "class names files name other folders", folder.root(), codes);
        ImageFolder sub = folder.onlyClassFolders(shared);
        List<ImageFolder.Image> list = sub.images();
        int n = list.size();
        float[][] embedded = new float[n][];
        int failed = 0;
        progress.update(0, n);
        for (int start = 0; start < n; start += chunk) {
            int end = Math.min(n, start + chunk);
            List<Path> paths = list.subList(start, end).stream().map(ImageFolder.Image::path)
                    .toList();
            EmbeddingResult r = images.encodeImageFiles(paths);
            checkArgument(r.size() == paths.size(), "the encoder returned %s rows for %s images",
                    r.size(), paths.size());
            for (int i = 0; i < paths.size(); i++) {
                if (r.ok(i)) {
                    embedded[start + i] = r.embeddings()[i];
                } else {
                    failed++;
                }
            }
            progress.update(end, n);
        }
        checkArgument(failed < n, "%s: none of the %s images could be read", dataset, n);
        int c = sub.classCount();
        int k5 = Math.min(5, c);
        List<LanguageScore> scores = new ArrayList<>();
        for (Language l : languages) {
            List<String> names = new ArrayList<>(c);
            for (String f : sub.classFolders()) {
                names.add(l.classNames().get(f));
            }
            ZeroShotClassifier classifier = ZeroShotClassifier.build(texts, names, l.templates());
            int top1 = 0;
            int top5 = 0;
            for (int i = 0; i < n; i++) {
                if (embedded[i] == null) {
                    continue;
                }
                int rank = ZeroShotClassifier.rankOf(classifier.logits(embedded[i]),
                        list.get(i).label());
                top1 += rank == 0 ? 1 : 0;
                top5 += rank < k5 ? 1 : 0;
            }
            int evaluated = n - failed;
            scores.add(new LanguageScore(l.code(), top1 / (double) evaluated,
                    top5 / (double) evaluated, l.templates().size(),
                    names.size() - new HashSet<>(names).size()));
        }
        return new Report(dataset, c, n, n - failed, failed, List.copyOf(scores));
    }

    private static String utf8(Path file) throws IOException {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + " is not valid UTF-8", e);
        }
    }
}
