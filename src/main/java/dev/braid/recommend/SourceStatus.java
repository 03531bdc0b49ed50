package dev.braid.recommend;

import java.util.Locale;

/** How a source's part of a request ended; the wire names are the envelope's {@code status} values. */
public enum SourceStatus {
    OK,
    TIMEOUT,
    ERROR,
    CIRCUIT_OPEN,
    RATE_LIMITED,
    /** The bulkhead was full. */
    REJECTED,
    /** The plan did not want this source for this request (e.g. an anonymous visitor and a per-user model). */
    SKIPPED;

    // Made once: answers write it on every request.
    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }
}
