package dev.braid.config;

import java.util.List;

/**
 * Configuration that cannot be used: thrown at start-up, before any port opens. Every problem names its key and the rule
 * it broke, e.g. {@code sources.trending.timeout: must be positive (was -5ms)}.
 */
public final class InvalidConfigException extends RuntimeException {
    private final List<String> problems;

    /** Each problem is shown without the credentials a bad value may hold (it quotes the value, and is logged). */
    public InvalidConfigException(List<String> problems) {
        this(problems.stream().map(Redaction::scrub).toList(), true);
    }

    private InvalidConfigException(List<String> scrubbed, boolean ignored) {
        super("invalid configuration:\n  " + String.join("\n  ", scrubbed));
        this.problems = scrubbed;
    }

    public InvalidConfigException(String key, String rule) {
        this(List.of(key + ": " + rule));
    }

    public List<String> problems() {
        return problems;
    }
}
