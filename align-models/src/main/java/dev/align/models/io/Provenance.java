package dev.align.models.io;

import ai.djl.engine.Engine;
import java.time.Instant;

/**
 * Where a trained artifact came from, stored beside every checkpoint and final model (as Tribuo
 * does), so a result can be traced to its config, seed and software.
 *
 * @param config the run's config JSON, every default filled in
 * @param seed the run's seed
 * @param align align's version
 * @param djl DJL's version
 * @param engine the engine and its version, e.g. "PyTorch 2.7.1"
 * @param java the Java runtime version and vendor
 * @param os operating system name and version
 * @param arch CPU architecture
 * @param created when the run started (ISO-8601)
 */
public record Provenance(String config, long seed, String align, String djl, String engine,
        String java, String os, String arch, String created) {

    /** align's version, from the jar manifest when packaged. */
    public static String alignVersion() {
        String v = Provenance.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }

    /** The provenance of a run starting now in this JVM. */
    public static Provenance now(String configJson, long seed) {
        Engine engine = Engine.getInstance();
        return new Provenance(configJson, seed, alignVersion(), Engine.getDjlVersion(),
                engine.getEngineName() + " " + engine.getVersion(),
                System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("os.arch"), Instant.now().toString());
    }
}
