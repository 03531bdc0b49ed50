package dev.braid.config;

import java.util.List;

/**
 * Configuration that cannot be used: thrown at start-up, before any port opens. Every problem names its key and the rule
 * it broke, e.g. {@code sources.trending.timeout: must be positive (was -5ms)}.
 */
public final class InvalidConfigException extends RuntimeException {
    private final List<String> problems;

    public InvalidConfigException(List<String> problems) {
        super("invalid configuration:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public InvalidConfigException(String key, String rule) {
        this(List.of(key + ": " + rule));
    }

    public List<String> problems() {
        return problems;
    }
}
