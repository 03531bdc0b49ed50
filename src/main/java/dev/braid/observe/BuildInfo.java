package dev.braid.observe;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What build is running: the version the jar's manifest names ({@code dev} when run from classes, as {@code bin/dev}
 * does), the commit it was built from ({@code git.properties}, written by the build; {@code unknown} outside a git
 * checkout, {@code -dirty} when the tree had changes) and the JDK it runs on.
 */
public record BuildInfo(String version, String commit, String jdk) {

    public static BuildInfo current() {
        String version = BuildInfo.class.getPackage().getImplementationVersion();
        Properties git = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/git.properties")) {
            if (in != null) {
                git.load(in);
            }
        } catch (IOException e) {
            // no commit to name: "unknown" below
        }
        String commit = git.getProperty("git.commit.id.abbrev", "unknown");
        if (Boolean.parseBoolean(git.getProperty("git.dirty", "false"))) {
            commit += "-dirty";
        }
        return new BuildInfo(version == null ? "dev" : version, commit, Runtime.version().toString());
    }
}
