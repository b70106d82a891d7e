package dev.align.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

class MainTest {

    @TempDir
    Path dir;

    @Test
    void versionComesFromTheBuild() throws Exception {
        Element pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of("..", "pom.xml").toFile()).getDocumentElement();
        String version = pom.getElementsByTagName("version").item(0).getTextContent().trim();
        String djl = pom.getElementsByTagName("djl.version").item(0).getTextContent().trim();
        Cli.Result r = Cli.run("--version");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("align " + version, lines.get(0));
        assertTrue(lines.get(1).startsWith("DJL " + djl + ", libtorch "), lines.get(1));
        assertTrue(!r.out().contains("${"), "unfiltered: " + r.out());
        assertEquals(r.out(), Cli.run("train", "--version").out(), "a subcommand's --version");
    }

    @Test
    void aMissingFileIsOneLineThatSaysSo() {
        String missing = dir.resolve("nope.json").toString();
        Cli.Result r = Cli.run("train", "--config", missing, "--out", dir.resolve("run").toString());
        assertEquals(1, r.status());
        assertEquals("align: no such file or directory: " + missing + "\n", r.err());
        r = Cli.run("model", "info", "--config", missing);
        assertEquals("align: no such file or directory: " + missing + "\n", r.err());
    }
}
