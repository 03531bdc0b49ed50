package dev.braid.config;

import java.nio.file.Files;
import java.nio.file.Path;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * Builds the configuration tree. Later sources lose to earlier ones: system properties, then environment variables
 * (Helidon's mapping: {@code SERVER_ADMIN_dash_PORT} sets {@code server.admin-port}), then the YAML file named by
 * {@code -Dconfig.file=} or, by default, {@code config/application.yaml} in the working directory.
 */
public final class ConfigLoader {
    public static final String FILE_PROPERTY = "config.file";
    public static final Path DEFAULT_FILE = Path.of("config", "application.yaml");

    private ConfigLoader() {
    }

    public static Config load() {
        String explicit = System.getProperty(FILE_PROPERTY);
        Path file = explicit == null ? DEFAULT_FILE : Path.of(explicit);
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigException(FILE_PROPERTY, explicit == null
                    ? "no " + DEFAULT_FILE + " in the working directory " + Path.of("").toAbsolutePath()
                      + "; run from the repository root or pass -D" + FILE_PROPERTY + "=PATH"
                    : "file " + file.toAbsolutePath() + " does not exist");
        }
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.systemProperties(),
                         ConfigSources.environmentVariables(),
                         ConfigSources.file(file))
                .disableCaching()
                .build();
    }
}
