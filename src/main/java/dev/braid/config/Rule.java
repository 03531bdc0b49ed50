package dev.braid.config;

import java.time.Duration;

/**
 * Validation rules for the compact constructors of config records. A broken rule throws {@link BrokenRule} naming the
 * setting relative to the record's own node; {@link Settings#bind} turns that into the absolute key.
 */
public final class Rule {
    private Rule() {
    }

    /** A rule broken by the setting {@code key} (relative to the node being bound). */
    public static final class BrokenRule extends RuntimeException {
        private final String key;

        BrokenRule(String key, String rule) {
            super(rule, null, false, false);
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    public static void check(boolean holds, String key, String rule) {
        if (!holds) {
            throw new BrokenRule(key, rule);
        }
    }

    public static Duration positive(String key, Duration value) {
        check(value != null && value.isPositive(), key, "must be a positive duration (was " + Settings.format(value) + ")");
        return value;
    }

    public static int port(String key, int value) {
        check(value >= 0 && value <= 65_535, key, "must be a TCP port 0..65535, 0 = any free port (was " + value + ")");
        return value;
    }

    public static int atLeast(String key, int value, int min) {
        check(value >= min, key, "must be at least " + min + " (was " + value + ")");
        return value;
    }

    public static String notBlank(String key, String value) {
        check(value != null && !value.isBlank(), key, "must not be empty");
        return value;
    }
}
