package dev.align.cli;

import dev.align.models.config.ClipConfig;
import dev.align.train.config.TrainConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.ListResourceBundle;
import java.util.Properties;
import java.util.Set;

/**
 * The footer of {@code ./align train --help}: every key of a run config, generated from the
 * {@link TrainConfig} records (name, nesting, type, required), each with its line from
 * {@code train-config-keys.properties}. picocli reads it as the command's resource bundle
 * ({@code usage.footer}); public because {@link java.util.ResourceBundle} instantiates it.
 */
public final class TrainHelp extends ListResourceBundle {

    /** The descriptions file, beside this class. */
    static final String DESCRIPTIONS = "train-config-keys.properties";
    private static final int WIDTH = 80;
    private static final int NAME_COLUMN = 24;
    private static final int TYPE_COLUMN = 14;

    /** Creates the bundle (for {@link java.util.ResourceBundle}). */
    public TrainHelp() {}

    @Override
    protected Object[][] getContents() {
        return new Object[][] {{"usage.footerHeading", "%nRun config keys (strict JSON: an "
                + "unknown key is an error; * = required):%n"}, {"usage.footer", text()}};
    }

    /** The keys of a run config. */
    static List<ConfigKeys.Key> keys() {
        return ConfigKeys.of(TrainConfig.class, Set.of(ClipConfig.class));
    }

    /** The descriptions, by dotted key path. */
    static Properties descriptions() {
        Properties p = new Properties();
        try (InputStream in = TrainHelp.class.getResourceAsStream(DESCRIPTIONS)) {
            if (in == null) {
                throw new IllegalStateException(DESCRIPTIONS + " is missing from the class path");
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** The key table, as picocli prints it (lines joined with {@code %n}, {@code %} escaped). */
    static String text() {
        Properties descriptions = descriptions();
        List<String> lines = new ArrayList<>();
        for (ConfigKeys.Key k : keys()) {
            String name = "  ".repeat(k.depth() + 1) + k.name() + (k.required() ? "*" : "");
            String type = k.type();
            StringBuilder line = new StringBuilder(pad(name, NAME_COLUMN));
            if (line.length() > NAME_COLUMN || type.length() >= TYPE_COLUMN) {
                lines.add(line.toString().stripTrailing() + " " + type);
                line = new StringBuilder(" ".repeat(NAME_COLUMN + TYPE_COLUMN));
            } else {
                line.append(pad(type, TYPE_COLUMN));
            }
            String description = descriptions.getProperty(k.path(), "");
            for (String word : description.split(" ")) {
                if (line.length() + word.length() + 1 > WIDTH
                        && line.length() > NAME_COLUMN + TYPE_COLUMN) {
                    lines.add(line.toString().stripTrailing());
                    line = new StringBuilder(" ".repeat(NAME_COLUMN + TYPE_COLUMN));
                }
                line.append(word).append(' ');
            }
            lines.add(line.toString().stripTrailing());
        }
        return String.join("%n", lines.stream().map(l -> l.replace("%", "%%")).toList()) + "%n";
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }
}
