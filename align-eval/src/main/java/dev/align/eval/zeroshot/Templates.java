package dev.align.eval.zeroshot;

import static dev.align.core.Checks.checkArgument;

import dev.align.core.io.TextFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prompt templates for zero-shot classification: strings with a {@code {}} placeholder for the
 * class name, such as {@code "a photo of a {}."}. Prompts should fit the data: OpenAI's photo
 * prompts hurt on drawings, where the bare class name does markedly better. Four named sets ship
 * with align (text resources beside this class):
 * <ul>
 *   <li>{@code identity}: {@code {}} alone, the class name as it is ({@link #identity()});
 *   <li>{@code simple}: OpenCLIP's 7 {@code SIMPLE_IMAGENET_TEMPLATES} ({@link #simple()});
 *   <li>{@code openai}: OpenAI's 80 ImageNet templates from the CLIP paper's notebook
 *       ({@link #openAiImageNet()});
 *   <li>{@code drawing}: 8 templates for drawings, icons and emoji ({@link #drawing()}): the
 *       bare name, "a drawing of {}.", "an icon of {}.", "an emoji of {}.", ...
 * </ul>
 * An ImageFolder may carry its own in {@value #FILE} ({@code ./align data import} writes the
 * caption forms of the set there), which {@link #forFolder} prefers.
 */
public final class Templates {

    /** The placeholder that {@link #format} replaces with a class name. */
    public static final String PLACEHOLDER = "{}";

    /** The file in an ImageFolder root that holds the templates suited to it. */
    public static final String FILE = "templates.txt";

    /** The names {@link #named} knows. */
    public static final List<String> NAMES = List.of("identity", "simple", "openai", "drawing");

    private static final List<String> OPENAI = load("openai-imagenet.txt");
    private static final List<String> SIMPLE = load("simple-imagenet.txt");
    private static final List<String> DRAWING = load("drawing.txt");
    private static final List<String> IDENTITY = List.of(PLACEHOLDER);

    private Templates() {}

    /** The class name alone, {@code {}}: the prompt that suits sets captioned by bare labels. */
    public static List<String> identity() {
        return IDENTITY;
    }

    /** 8 templates for drawings, icons and emoji (drawings are not photos). */
    public static List<String> drawing() {
        return DRAWING;
    }

    /** OpenAI's 80 ImageNet templates, in their published order. */
    public static List<String> openAiImageNet() {
        return OPENAI;
    }

    /** OpenCLIP's 7 simple ImageNet templates ({@code SIMPLE_IMAGENET_TEMPLATES}). */
    public static List<String> simple() {
        return SIMPLE;
    }

    /**
     * A template set by name: {@code identity} (1), {@code simple} (7), {@code openai} (80),
     * {@code drawing} (8), or else the path of a UTF-8 file with one template per line (blank
     * lines ignored).
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the name is neither a known set nor an existing file,
     *     or the file is malformed (see {@link #read})
     */
    public static List<String> named(String nameOrFile) throws IOException {
        checkArgument(nameOrFile != null && !nameOrFile.isBlank(), "the template set is empty: "
                + "give one of %s or a file", NAMES);
        return switch (nameOrFile) {
            case "identity" -> IDENTITY;
            case "simple" -> SIMPLE;
            case "openai" -> OPENAI;
            case "drawing" -> DRAWING;
            default -> {
                Path file = Path.of(nameOrFile);
                checkArgument(Files.isRegularFile(file), "templates '%s' are neither one of %s "
                        + "nor an existing file (one template per line, '{}' for the class "
                        + "name)", nameOrFile, NAMES);
                yield read(file);
            }
        };
    }

    /**
     * What an ImageFolder is evaluated with when no set is named: its own {@value #FILE} if it
     * has one, else OpenAI's 80 ImageNet templates.
     *
     * @return a name or file for {@link #named}
     */
    public static String forFolder(Path folder) {
        Path own = folder.resolve(FILE);
        return Files.isRegularFile(own) ? own.toString() : "openai";
    }

    /**
     * Reads templates from a UTF-8 file, one per line; blank lines are ignored.
     *
     * @throws IllegalArgumentException if the file is not UTF-8, a line lacks {@code {}} (the
     *     line is named) or there is no template
     */
    public static List<String> read(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = List.of(TextFiles.readUtf8(file).split("\\r?\\n|\\r", -1));
        } catch (TextFiles.MalformedTextException e) {
            throw new IllegalArgumentException(e.getMessage() + " (templates: one per line, "
                    + "'{}' for the class name)", e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = (i == 0 ? lines.get(i).replace("\uFEFF", "") : lines.get(i)).strip();
            if (line.isEmpty()) {
                continue;
            }
            checkArgument(line.contains(PLACEHOLDER),
                    "%s line %s: template '%s' has no '{}' where the class name goes (e.g. "
                            + "'a photo of a {}.')", file, i + 1, line);
            out.add(line);
        }
        checkArgument(!out.isEmpty(), "%s holds no templates (one per line, each with '{}')", file);
        return List.copyOf(out);
    }

    /**
     * Checks user-supplied templates.
     *
     * @return an immutable copy
     * @throws IllegalArgumentException if the list is empty or a template lacks {@code {}}
     */
    public static List<String> of(List<String> templates) {
        checkArgument(templates != null && !templates.isEmpty(), "no templates given");
        for (int i = 0; i < templates.size(); i++) {
            String t = templates.get(i);
            checkArgument(t != null && t.contains(PLACEHOLDER),
                    "template %s ('%s') has no '{}' where the class name goes (e.g. 'a photo of "
                            + "a {}.')", i, t);
        }
        return List.copyOf(templates);
    }

    /** The prompt for one class: every {@code {}} of {@code template} replaced by {@code className}. */
    public static String format(String template, String className) {
        return template.replace(PLACEHOLDER, className);
    }

    private static List<String> load(String resource) {
        try (InputStream in = Templates.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return of(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank()).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
