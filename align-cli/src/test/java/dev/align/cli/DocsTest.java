package dev.align.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** What the documentation and the launchers claim, checked against the repository. */
class DocsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Set<String> SKIPPED_DIRS = Set.of(".git", "target", "node_modules",
            "results", ".mvn");

    /** Text files of the repository (sources, docs, poms, scripts), not build outputs. */
    private static List<Path> textFiles() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(ROOT)) {
            walk.filter(Files::isRegularFile)
                    .filter(p -> ROOT.relativize(p).toString().split("/").length > 0)
                    .filter(p -> {
                        for (Path part : ROOT.relativize(p)) {
                            if (SKIPPED_DIRS.contains(part.toString())) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        return name.matches(".*\\.(md|xml|java|properties|sh|py|json|txt)")
                                || !name.contains(".");           // scripts: align, bench/run, ...
                    })
                    .forEach(out::add);
        }
        return out;
    }

    private static List<String> lines(Path file) throws IOException {
        try {
            return Files.readAllLines(file);
        } catch (MalformedInputException binary) {
            return List.of();
        }
    }

    @Test
    void everyOfflineLaunchAlsoTurnsDjlTelemetryOff() throws IOException {
        String offline = "ai.djl." + "offline=true";              // not itself a match
        List<String> offending = new ArrayList<>();
        int launches = 0;
        for (Path file : textFiles()) {
            boolean java = file.toString().endsWith(".java");
            for (String line : lines(file)) {
                boolean sets = java ? line.contains("\"-D" + offline) : line.contains(offline);
                if (sets) {
                    launches++;
                    if (!line.contains("OPT_OUT_TRACKING=true")) {
                        offending.add(ROOT.relativize(file) + ": " + line.strip());
                    }
                }
            }
        }
        assertTrue(launches >= 10, "found only " + launches + " places that set offline mode");
        assertEquals(List.of(), offending, "offline without -DOPT_OUT_TRACKING=true");
    }

    @Test
    void noDocNamesAPathOfThisMachine() throws IOException {
        Pattern machine = Pattern.compile("(?<![\\w.~$])/(work|home|root|Users|tmp)/");
        List<String> offending = new ArrayList<>();
        for (Path file : textFiles()) {
            if (!file.toString().endsWith(".md")) {
                continue;
            }
            List<String> lines = lines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (machine.matcher(lines.get(i)).find()) {
                    offending.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + lines.get(i));
                }
            }
        }
        assertEquals(List.of(), offending);
    }

    @Test
    void theGpuProfileAndTheReadmeNameTheSameCudaBuild() throws Exception {
        Element pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(ROOT.resolve("pom.xml").toFile()).getDocumentElement();
        String artifact = null;
        NodeList profiles = pom.getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element p = (Element) profiles.item(i);
            if (p.getElementsByTagName("id").item(0).getTextContent().trim().equals("gpu")) {
                artifact = p.getElementsByTagName("pytorch.native.artifact").item(0)
                        .getTextContent().trim();
            }
        }
        assertTrue(artifact != null && artifact.startsWith("pytorch-native-cu"), artifact);
        Pattern cuda = Pattern.compile("pytorch-native-cu\\d+");
        for (Path file : List.of(ROOT.resolve("README.md"), ROOT.resolve("pom.xml"))) {
            TreeSet<String> named = new TreeSet<>();
            Matcher m = cuda.matcher(Files.readString(file));
            while (m.find()) {
                named.add(m.group());
            }
            assertEquals(new TreeSet<>(Set.of(artifact)), named, file + " names CUDA builds");
        }
    }
}
