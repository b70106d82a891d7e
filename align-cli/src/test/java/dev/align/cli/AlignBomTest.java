package dev.align.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** align-bom lists every published module at the build's version, so users need one version. */
class AlignBomTest {

    /** Modules that are built but not for users' dependencies: run by scripts, or the BOM. */
    private static final java.util.Set<String> NOT_PUBLISHED =
            java.util.Set.of("align-bom", "benchmarks");

    /** The repository root, from the module directory the tests run in. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static Document read(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    private static List<Element> children(Node parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0).getTextContent().trim();
    }

    @Test
    void listsEveryModuleAtTheBuildsVersionAndHasNoParent() throws Exception {
        Element root = read(ROOT.resolve("pom.xml")).getDocumentElement();
        String version = text(root, "version");
        TreeSet<String> modules = new TreeSet<>();
        for (Element m : children(children(root, "modules").get(0), "module")) {
            modules.add(m.getTextContent().trim());
        }
        assertFalse(modules.contains("examples"), "examples/ is a user's project, not a module");
        modules.removeAll(NOT_PUBLISHED);

        Element bom = read(ROOT.resolve("align-bom/pom.xml")).getDocumentElement();
        assertTrue(children(bom, "parent").isEmpty(), "a BOM's parent would be imported too");
        assertEquals(version, text(bom, "version"), "align-bom's version");
        TreeSet<String> managed = new TreeSet<>();
        Element deps = children(children(bom, "dependencyManagement").get(0), "dependencies").get(0);
        for (Element d : children(deps, "dependency")) {
            if ("dev.align".equals(text(d, "groupId"))) {
                managed.add(text(d, "artifactId"));
                assertEquals("${project.version}", text(d, "version"), text(d, "artifactId"));
            }
        }
        assertEquals(modules, managed, "align-bom/pom.xml must manage every module of pom.xml");
        assertEquals(managedVersion(root, "opencv"), bomVersion(deps, "opencv"),
                "align-bom's org.openpnp:opencv must be the version align is built with");

        Element examples = read(ROOT.resolve("examples/pom.xml")).getDocumentElement();
        assertTrue(children(examples, "parent").isEmpty(), "examples/ must not inherit align's pom");
        assertEquals(version, text(children(examples, "properties").get(0), "align.version"),
                "examples/pom.xml's align.version");
    }

    /** The version of {@code artifactId} in the parent's dependency management. */
    private static String managedVersion(Element parentPom, String artifactId) {
        Element deps = children(children(parentPom, "dependencyManagement").get(0),
                "dependencies").get(0);
        return bomVersion(deps, artifactId);
    }

    private static String bomVersion(Element dependencies, String artifactId) {
        for (Element d : children(dependencies, "dependency")) {
            if (artifactId.equals(text(d, "artifactId"))) {
                return text(d, "version");
            }
        }
        return null;
    }
}
