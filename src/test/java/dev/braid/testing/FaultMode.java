package dev.braid.testing;

import java.util.Locale;

/**
 * The fault modes of the simulator control API (docs/operations.md), shared by the HTTP simulators and the TCP fault
 * proxies.
 * TCP proxies support only the modes that make sense below HTTP (see {@link #tcpCapable()}).
 */
public enum FaultMode {
    /** Answer normally (HTTP simulators: plus their base latency). */
    HEALTHY,
    /** Add {@code latency_ms} to every answer (TCP: to every forwarded chunk from the upstream). */
    SLOW,
    /** Accept and never answer. */
    HANG,
    /** HTTP 500; TCP proxies reset connections. */
    ERROR,
    /** HTTP 429 with Retry-After (Personalize: its ThrottlingException form). HTTP only. */
    THROTTLE,
    /** HTTP 200 with a body the client cannot parse. HTTP only. */
    MALFORMED,
    /** Connection refused: nothing listens on the port. */
    DOWN;

    /** Parses the wire name ({@code "hang"}), case-insensitively. */
    public static FaultMode parse(String wire) {
        try {
            return valueOf(wire.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown mode '" + wire + "'; expected one of healthy, slow, hang, error, throttle, malformed, down");
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean tcpCapable() {
        return this != THROTTLE && this != MALFORMED;
    }
}
