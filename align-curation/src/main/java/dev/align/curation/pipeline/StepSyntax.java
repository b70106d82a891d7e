package dev.align.curation.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align.core.Checks;
import dev.align.core.json.Json;
import dev.align.curation.rules.AlignRulesConfig;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compact step syntax of {@code ./align curate --steps}:
 * <pre>STEP[:KEY=VALUE[,KEY=VALUE...]][,STEP...]</pre>
 * for example {@code align-rules,metaclip:metadata=meta.txt,t=20000,seed=0,dfn:model=runs/f/model,top=0.15}.
 * Commas separate both steps and settings: an element with {@code =} and no {@code :} before it
 * continues the current step's settings, any other element starts a step. Keys are the JSON keys of
 * the step's settings ({@link AlignRulesConfig}, {@link MetaClipStepConfig}, {@link DfnStepConfig}),
 * checked as strictly as JSON (a typo is named with the known keys); {@code align-rules} also takes
 * {@code config=FILE}, a JSON file of its thresholds. Values may not contain commas.
 */
public final class StepSyntax {

    private StepSyntax() {}

    /**
     * Parses the step syntax.
     *
     * @param text the {@code --steps} value
     * @return the steps in order
     * @throws IOException if an {@code align-rules:config=FILE} cannot be read
     * @throws IllegalArgumentException if a step or key is unknown or a value invalid
     */
    public static List<StepConfig> parse(String text) throws IOException {
        Checks.checkArgument(text != null && !text.isBlank(), "--steps is empty");
        List<String> names = new ArrayList<>();
        List<Map<String, String>> settings = new ArrayList<>();
        for (String element : text.split(",", -1)) {
            String e = element.trim();
            Checks.checkArgument(!e.isEmpty(), "empty element in --steps '%s'", text);
            int colon = e.indexOf(':');
            int eq = e.indexOf('=');
            if (eq >= 0 && (colon < 0 || colon > eq)) {
                Checks.checkArgument(!names.isEmpty(), "setting '%s' comes before any step", e);
                put(settings.get(settings.size() - 1), e, names.get(names.size() - 1));
            } else {
                names.add(colon < 0 ? e : e.substring(0, colon));
                settings.add(new LinkedHashMap<>());
                if (colon >= 0) {
                    put(settings.get(settings.size() - 1), e.substring(colon + 1), names.get(names.size() - 1));
                }
            }
        }
        List<StepConfig> steps = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            steps.add(step(StepKind.of(names.get(i)), settings.get(i)));
        }
        return steps;
    }

    private static void put(Map<String, String> settings, String kv, String step) {
        int eq = kv.indexOf('=');
        Checks.checkArgument(eq > 0, "step %s: '%s' is not KEY=VALUE", step, kv);
        String key = kv.substring(0, eq).trim();
        Checks.checkArgument(settings.put(key, kv.substring(eq + 1).trim()) == null,
                "step %s: key '%s' given twice", step, key);
    }

    private static StepConfig step(StepKind kind, Map<String, String> settings) throws IOException {
        String source = "--steps " + kind.label();
        return switch (kind) {
            case ALIGN_RULES -> {
                String file = settings.remove("config");
                Checks.checkArgument(file == null || settings.isEmpty(), "%s: give either "
                        + "config=FILE or inline thresholds, not both", source);
                AlignRulesConfig rules = file != null ? readRules(file, source)
                        : bind(settings, AlignRulesConfig.class, source);
                yield new StepConfig(kind, rules, null, null, null);
            }
            case METACLIP -> new StepConfig(kind, null,
                    bind(settings, MetaClipStepConfig.class, source), null, null);
            case DFN -> new StepConfig(kind, null, null, bind(settings, DfnStepConfig.class, source),
                    null);
            case METACLIP2 -> new StepConfig(kind, null, null, null,
                    bind(settings, MetaClip2StepConfig.class, source));
        };
    }

    private static AlignRulesConfig readRules(String file, String source) throws IOException {
        Path path;
        try {
            path = Path.of(file);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(String.format("%s: config=%s is not a valid path: %s",
                    source, file, e.getMessage()), e);
        }
        Checks.checkArgument(Files.isRegularFile(path), "%s: config file %s does not exist (a JSON "
                + "file of ALIGN rule thresholds)", source, file);
        return Json.read(path, AlignRulesConfig.class);
    }

    /** Turns KEY=VALUE settings into a JSON object typed by the record, then parses it strictly. */
    private static <T> T bind(Map<String, String> settings, Class<T> type, String source) {
        Map<String, Class<?>> types = new LinkedHashMap<>();
        for (RecordComponent c : type.getRecordComponents()) {
            types.put(c.getName(), c.getType());
        }
        ObjectNode node = Json.mapper().createObjectNode();
        for (Map.Entry<String, String> s : settings.entrySet()) {
            Class<?> t = types.get(s.getKey());
            String v = s.getValue();
            if (t == null || t == String.class || t.isEnum()) {
                node.put(s.getKey(), v);          // an unknown key is reported by Json.parse
            } else if (t == Boolean.class) {
                Checks.checkArgument(v.equals("true") || v.equals("false"),
                        "%s: %s must be true or false, got '%s'", source, s.getKey(), v);
                node.put(s.getKey(), Boolean.parseBoolean(v));
            } else {
                BigDecimal number;
                try {
                    number = new BigDecimal(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(String.format("%s: %s must be a number, got "
                            + "'%s'", source, s.getKey(), v), e);
                }
                if (t == Double.class) {
                    node.put(s.getKey(), number.doubleValue());
                } else {
                    try {
                        node.put(s.getKey(), number.longValueExact());
                    } catch (ArithmeticException e) {
                        throw new IllegalArgumentException(String.format("%s: %s must be a whole "
                                + "number, got '%s'", source, s.getKey(), v), e);
                    }
                }
            }
        }
        return Json.parse(node.toString(), type, source);
    }
}
