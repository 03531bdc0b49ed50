package dev.braid.cache;

import java.util.Locale;

/** Where a cached answer came from, as the envelope's {@code cache} field says it. */
public enum CacheOutcome {
    /** This replica's memory, fresh. */
    HIT_L1,
    /** The shared tier, fresh. */
    HIT_L2,
    /** Past its freshness (being revalidated), or kept because the origin failed. */
    STALE,
    /** Made by the origin for this request (or a concurrent one it waited for). */
    MISS;

    // Made once: answers write it on every request.
    private final String wireName = name().toLowerCase(Locale.ROOT).replace('_', '-');

    public String wireName() {
        return wireName;
    }
}
