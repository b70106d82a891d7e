package dev.align.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code ./align --version}: the versions the build wrote into {@code version.properties}
 * (Maven resource filtering), and the JVM's.
 */
final class Version implements IVersionProvider {

    /** The build's properties: version, djl, libtorch, native. */
    static Properties build() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IOException("version.properties is missing: build align-cli with Maven");
            }
            p.load(in);
        }
        return p;
    }

    @Override
    public String[] getVersion() throws IOException {
        Properties p = build();
        return new String[] {"align " + p.getProperty("version"),
            "DJL " + p.getProperty("djl") + ", libtorch " + p.getProperty("libtorch") + " ("
                    + p.getProperty("native") + ")",
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor")
                    + "), " + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
    }
}
