package dev.braid.recommend;

import java.util.Locale;

/** Why an answer is less than the full personalized list; the envelope's {@code degraded} (absent when none). */
public enum Degradation {
    /** A stale cached list, because the origin failed. */
    STALE,
    /** Every candidate source failed: the default (popular) ranking. */
    DEFAULT_RANKING,
    /** No personal signal: popular and editorial tiers. */
    COLD_START;

    // Made once: answers write it on every request.
    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }
}
