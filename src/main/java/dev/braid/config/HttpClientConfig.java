package dev.braid.config;

import java.time.Duration;

/**
 * Connection pool and time limits of one HTTP downstream. Each downstream has its own pool, so a slow one cannot take
 * the connections of another.
 *
 * @param connectTimeout  limit for establishing a TCP connection
 * @param timeout         upper bound of one call; a call never gets more than the request's remaining time either
 * @param maxConnections  pool size; a request that finds the pool exhausted waits at most {@code poolWait}
 * @param poolWait        how long a call may wait for a free pooled connection
 */
public record HttpClientConfig(Duration connectTimeout, Duration timeout, int maxConnections, Duration poolWait) {

    public HttpClientConfig {
        Rule.positive("connect-timeout", connectTimeout);
        Rule.positive("timeout", timeout);
        Rule.atLeast("max-connections", maxConnections, 1);
        Rule.positive("pool-wait", poolWait);
    }

    /** Reads the settings from {@code node}, which also holds the downstream's other settings (bound by its owner). */
    public static HttpClientConfig read(Settings node, Duration defaultTimeout) {
        return new HttpClientConfig(
                node.duration("connect-timeout", Duration.ofMillis(100)),
                node.duration("timeout", defaultTimeout),
                node.integer("max-connections", 64),
                node.duration("pool-wait", Duration.ofMillis(20)));
    }
}
