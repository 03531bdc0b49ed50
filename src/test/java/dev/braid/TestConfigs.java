package dev.braid;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.braid.ratelimit.RateLimitConfig;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.EnvironmentVariables;

/**
 * Configurations for tests: the real {@code config/application.yaml} with overrides on top, exactly as system properties
 * or environment variables would override it in production.
 */
public final class TestConfigs {
    public static final Path APPLICATION_YAML = Path.of("config", "application.yaml");

    private TestConfigs() {
    }

    /** application.yaml under {@code overrides} (keys as in the YAML, e.g. {@code sources.trending.url}). */
    public static Config config(Map<String, String> overrides) {
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(overrides), ConfigSources.file(APPLICATION_YAML))
                .disableCaching()
                .build();
    }

    /** application.yaml under environment variables, mapped the way Helidon maps the real environment. */
    public static Config withEnvironment(Map<String, String> environment) {
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(EnvironmentVariables.expand(environment)), ConfigSources.file(APPLICATION_YAML))
                .disableCaching()
                .build();
    }

    /** A local instance on free ports with the given overrides; the admin token is {@code test-admin-token}. */
    public static BraidConfig local(Map<String, String> overrides) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("server.host", "127.0.0.1");
        all.put("server.port", "0");
        all.put("server.admin-port", "0");
        all.put("server.admin-token", "test-admin-token");
        all.put("server.shutdown-grace", "5s");
        all.put("server.warmup-requests", "0");
        // Tests send thousands of requests as one caller; RateLimitIT sets real limits.
        for (String endpointClass : RateLimitConfig.CLASSES) {
            all.put("rate-limits." + endpointClass + ".quota", "1000000");
            all.put("rate-limits." + endpointClass + ".window", "1s");
        }
        all.putAll(overrides);
        return BraidConfig.create(config(all));
    }
}
