package dev.align.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align.core.json.JsonOptional;
import dev.align.models.config.ClipConfig;
import dev.align.train.config.TrainConfig;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@code ./align train --help} names every key a run config accepts, with a description. */
class TrainHelpTest {

    /** Every key of the run config records as "depth:path:required", walked on its own here. */
    private static void walk(Class<?> type, String prefix, int depth, List<String> out) {
        for (RecordComponent c : type.getRecordComponents()) {
            String path = prefix + c.getName();
            out.add(depth + ":" + path + ":" + !c.isAnnotationPresent(JsonOptional.class));
            Class<?> element = c.getType();
            if (c.getGenericType() instanceof ParameterizedType p) {
                element = (Class<?>) p.getActualTypeArguments()[0];
            }
            if (element.isRecord() && element != ClipConfig.class) {
                walk(element, path + ".", depth + 1, out);
            }
        }
    }

    private static List<String> components() {
        List<String> out = new ArrayList<>();
        walk(TrainConfig.class, "", 0, out);
        return out;
    }

    @Test
    void helpListsEveryRecordComponentAtItsDepth() {
        Cli.Result r = Cli.run("train", "--help");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        List<String> components = components();
        assertTrue(components.size() > 50, components.toString());
        for (String c : components) {
            String[] parts = c.split(":");
            String path = parts[1];
            String name = path.substring(path.lastIndexOf('.') + 1);
            String start = "  ".repeat(Integer.parseInt(parts[0]) + 1) + name
                    + (parts[2].equals("true") ? "*" : "");
            assertTrue(lines.stream().anyMatch(l -> l.equals(start) || l.startsWith(start + " ")),
                    "train --help lacks '" + start.strip() + "' (" + path + "):\n" + r.out());
        }
        assertTrue(r.out().contains("devices ") && r.out().contains("replayMicroBatches ")
                && r.out().contains("interleave "), r.out());
        assertTrue(lines.stream().allMatch(l -> l.length() <= 80), "lines over 80 columns");
    }

    @Test
    void everyKeyHasADescriptionAndEveryDescriptionAKey() {
        TreeSet<String> paths = new TreeSet<>();
        components().forEach(c -> paths.add(c.split(":")[1]));
        TreeSet<String> described = new TreeSet<>(TrainHelp.descriptions().stringPropertyNames());
        TreeSet<String> missing = new TreeSet<>(paths);
        missing.removeAll(described);
        TreeSet<String> stale = new TreeSet<>(described);
        stale.removeAll(paths);
        assertEquals(new TreeSet<>(), missing, "keys without a line in "
                + TrainHelp.DESCRIPTIONS);
        assertEquals(new TreeSet<>(), stale, "lines of " + TrainHelp.DESCRIPTIONS
                + " that name no key");
    }

    @Test
    void typesComeFromTheRecords() {
        String help = TrainHelp.text().replace("%n", "\n");
        assertTrue(help.contains("kind*") && help.contains("SYNTHETIC|SHARDS"), help);
        assertTrue(help.contains("INFONCE|INFONCE_CHUNKED|SIGLIP|SIGLIP_CHUNKED"), help);
        assertTrue(help.matches("(?s).*\\n    zeroShot +\\[\\{\\.\\.\\.\\}\\].*"), help);
        assertTrue(help.matches("(?s).*\\n  devices +\\[string\\].*"), help);
    }
}
