package dev.braid.testing;

import java.time.Duration;

/**
 * Something the simulator control API (docs/operations.md) can break on purpose: an HTTP simulator or a TCP fault
 * proxy.
 */
public interface FaultInjectable {

    /** The name used in {@code /sim/{name}/...}: personalize, databricks, trending, redis, opensearch. */
    String name();

    /**
     * Switches the fault mode.
     *
     * @param latency    extra latency for {@link FaultMode#SLOW} (ignored otherwise)
     * @param retryAfter the Retry-After to announce for {@link FaultMode#THROTTLE} (ignored otherwise)
     * @throws IllegalArgumentException if this kind of downstream cannot simulate the mode
     */
    void mode(FaultMode mode, Duration latency, Duration retryAfter);

    /** The current mode. */
    FaultMode mode();

    /** Requests received since the last reset (TCP proxies: connections accepted). */
    long requests();

    /** Mode back to healthy, counters to zero. */
    void reset();
}
