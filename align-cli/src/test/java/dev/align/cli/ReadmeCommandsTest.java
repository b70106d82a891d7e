package dev.align.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every {@code ./align} command in the shell blocks of README.md, benchmarks/README.md and
 * tools/README.md parses against the real command line: its subcommands and options exist and its required options are given. Optional parts
 * written {@code [--option VALUE]} are included; {@code a|b|c} alternatives take the first;
 * a redirection or a pipe ends the command.
 */
class ReadmeCommandsTest {

    /** The docs whose commands are checked. */
    static final List<Path> DOCS = List.of(Path.of("..", "README.md"),
            Path.of("..", "benchmarks", "README.md"), Path.of("..", "tools", "README.md"));

    /**
     * The {@code ./align} commands of a Markdown file's bash (or untyped) code blocks,
     * continuation lines joined.
     */
    static List<String> commands(Path readme) throws IOException {
        List<String> out = new ArrayList<>();
        boolean inBlock = false;
        boolean inBash = false;
        StringBuilder pending = null;
        for (String line : Files.readAllLines(readme)) {
            if (line.startsWith("```")) {
                inBlock = !inBlock;                        // a fence opens or closes a block
                inBash = inBlock && (line.equals("```bash") || line.equals("```"));
                continue;
            }
            if (!inBash) {
                continue;
            }
            String text = line.strip();
            if (pending == null && !text.startsWith("./align ")) {
                continue;
            }
            pending = pending == null ? new StringBuilder() : pending.append(' ');
            if (text.endsWith("\\")) {
                pending.append(text, 0, text.length() - 1);
            } else {
                out.add(stripComment(pending.append(text).toString()));
                pending = null;
            }
        }
        return out;
    }

    private static String stripComment(String command) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            } else if (c == '#' && !single && !dbl && i > 0
                    && Character.isWhitespace(command.charAt(i - 1))) {
                return command.substring(0, i).strip();
            }
        }
        return command.strip();
    }

    /** Shell words (quotes removed), brackets of optional parts dropped, first alternatives. */
    static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (char c : command.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if (c != '[' && c != ']') {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        List<String> out = new ArrayList<>();
        for (String w : words) {
            if (w.startsWith(">") || w.equals("|")) {
                break;                                             // a redirection or a pipe
            }
            out.add(w.contains("|") && !w.contains("{") ? w.substring(0, w.indexOf('|')) : w);
        }
        return out.subList(1, out.size());                         // drop "./align"
    }

    @Test
    void everyReadmeCommandParses() throws IOException {
        List<String> commands = new ArrayList<>();
        for (Path doc : DOCS) {
            commands.addAll(commands(doc));
        }
        assertTrue(commands.size() >= 15, "found only " + commands);
        assertTrue(commands.stream().anyMatch(c -> c.startsWith("./align eval retrieval --model "
                + "runs/emoji-reference")), "tools/README.md's command not found: " + commands);
        List<String> failures = new ArrayList<>();
        for (String command : commands) {
            try {
                new CommandLine(new Main()).parseArgs(words(command).toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                failures.add(command + "\n    -> " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            fail("README commands that ./align rejects:\n" + String.join("\n", failures));
        }
    }

    @Test
    void theReadmeImportsEveryKindDataImportTakes() throws IOException {
        java.util.Set<String> shown = new java.util.TreeSet<>();
        for (String command : commands(Path.of("..", "README.md"))) {
            String[] w = command.split("\\s+");
            if (w.length > 3 && w[1].equals("data") && w[2].equals("import")) {
                shown.addAll(List.of(w[3].split("\\|")));          // a|b|c: every alternative
            }
        }
        java.util.Set<String> missing = new java.util.TreeSet<>(DataCommand.Import.KINDS);
        missing.removeAll(shown);
        assertTrue(missing.isEmpty(), "README.md shows no ./align data import of " + missing);
        java.util.Set<String> unknown = new java.util.TreeSet<>(shown);
        unknown.removeAll(DataCommand.Import.KINDS);
        assertTrue(unknown.isEmpty(), "README.md imports kinds ./align does not take: " + unknown);
    }

    @Test
    void aWrongOptionIsCaught() {
        List<String> words = words("./align eval zero-shot --model m --data d --templatez x  ");
        try {
            new CommandLine(new Main()).parseArgs(words.toArray(String[]::new));
            fail("parsed " + words);
        } catch (CommandLine.UnmatchedArgumentException expected) {
            assertTrue(expected.getMessage().contains("--templatez"), expected.getMessage());
        }
        assertTrue(words("./align eval zero-shot [--templates identity|simple|FILE] --model 'a b'")
                .equals(List.of("eval", "zero-shot", "--templates", "identity", "--model", "a b")));
        assertTrue(words("./align model config --preset tiny > my.json")
                .equals(List.of("model", "config", "--preset", "tiny")));
    }
}
