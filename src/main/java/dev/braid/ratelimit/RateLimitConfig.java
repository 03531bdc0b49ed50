package dev.braid.ratelimit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.braid.config.Rule;
import dev.braid.config.Settings;

/**
 * Inbound rate limits, per caller (the user, else the client address) and endpoint class.
 *
 * @param enabled  off: no limit and no RateLimit headers
 * @param replicas how many replicas share the limits; while the shared count cannot be read, each replica allows every
 *                 caller its quota divided by this, so the fleet stays near the limit
 * @param classes  the quota of each endpoint class, in {@link #CLASSES} order
 * @param connections Redis connections of the limiter's own pool: one count per request must not take the pooled
 *                 connections that cache reads need, nor wait for them
 */
public record RateLimitConfig(boolean enabled, int replicas, Map<String, Quota> classes, int connections) {
    /** The endpoint classes: recommendations, search (with feeds), items, events. */
    public static final List<String> CLASSES = List.of("recommendations", "search", "items", "events");

    /**
     * @param quota  requests one caller may make per window; the whole quota may come at once
     * @param window the window, in whole seconds (the RateLimit headers speak seconds)
     */
    public record Quota(int quota, Duration window) {
        public Quota {
            Rule.atLeast("quota", quota, 1);
            Rule.check(window != null && window.toMillis() >= 1000 && window.toMillis() % 1000 == 0, "window",
                       "must be whole seconds, at least 1s (was " + Settings.format(window) + ")");
        }

        public long windowSeconds() {
            return window.toSeconds();
        }

        /** This quota shared out over {@code replicas}: at least one request per window. */
        public Quota perReplica(int replicas) {
            return new Quota(Math.max(1, quota / replicas), window);
        }
    }

    public RateLimitConfig {
        Rule.atLeast("replicas", replicas, 1);
        classes = Map.copyOf(classes);
        Rule.atLeast("connections", connections, 1);
    }

    /** Limits with the default pool. */
    public RateLimitConfig(boolean enabled, int replicas, Map<String, Quota> classes) {
        this(enabled, replicas, classes, DEFAULT_CONNECTIONS);
    }

    private static final int DEFAULT_CONNECTIONS = 16;

    private static final Map<String, Quota> DEFAULTS = Map.of(
            "recommendations", new Quota(600, Duration.ofMinutes(1)),
            "search", new Quota(600, Duration.ofMinutes(1)),
            "items", new Quota(1200, Duration.ofMinutes(1)),
            "events", new Quota(1200, Duration.ofMinutes(1)));

    public static RateLimitConfig create(Settings node) {
        return node.bind(() -> {
            boolean enabled = node.bool("enabled", true);
            int replicas = node.integer("replicas", 1);
            Map<String, Quota> classes = new LinkedHashMap<>();
            for (String name : CLASSES) {
                Settings child = node.child(name);
                Quota fallback = DEFAULTS.get(name);
                classes.put(name, child.bind(() -> new Quota(child.integer("quota", fallback.quota()),
                                                             child.duration("window", fallback.window()))));
            }
            return new RateLimitConfig(enabled, replicas, classes, node.integer("connections", DEFAULT_CONNECTIONS));
        });
    }

    public Quota quota(String endpointClass) {
        Quota quota = classes.get(endpointClass);
        if (quota == null) {
            throw new IllegalArgumentException("no endpoint class '" + endpointClass + "'");
        }
        return quota;
    }
}
