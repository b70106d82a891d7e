package dev.align.eval.zeroshot;

import static dev.align.core.Checks.checkArgument;

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
 * class name, such as {@code "a photo of a {}."}. Two sets ship with align (text resources beside
 * this class): OpenAI's 80 ImageNet templates from the CLIP paper's notebook ({@link
 * #openAiImageNet()}) and OpenCLIP's 7 {@code SIMPLE_IMAGENET_TEMPLATES} ({@link #simple()}).
 */
public final class Templates {

    /** The placeholder that {@link #format} replaces with a class name. */
    public static final String PLACEHOLDER = "{}";

    private static final List<String> OPENAI = load("openai-imagenet.txt");
    private static final List<String> SIMPLE = load("simple-imagenet.txt");

    private Templates() {}

    /** OpenAI's 80 ImageNet templates, in their published order. */
    public static List<String> openAiImageNet() {
        return OPENAI;
    }

    /** OpenCLIP's 7 simple ImageNet templates ({@code SIMPLE_IMAGENET_TEMPLATES}). */
    public static List<String> simple() {
        return SIMPLE;
    }

    /**
     * A template set by name: {@code openai} (80), {@code simple} (7), or else the path of a UTF-8
     * file with one template per line (blank lines ignored).
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if a template lacks {@code {}} or the set is empty
     */
    public static List<String> named(String nameOrFile) throws IOException {
        checkArgument(nameOrFile != null, "the template set is null");
        return switch (nameOrFile) {
            case "openai" -> OPENAI;
            case "simple" -> SIMPLE;
            default -> {
                Path file = Path.of(nameOrFile);
                checkArgument(Files.isRegularFile(file),
                        "templates '%s' are neither 'openai', 'simple' nor an existing file", nameOrFile);
                yield read(file);
            }
        };
    }

    /**
     * Reads templates from a UTF-8 file, one per line; blank lines are ignored.
     *
     * @throws IllegalArgumentException if a line lacks {@code {}} (the line is named) or there is
     *     no template
     */
    public static List<String> read(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
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
