package dev.braid.observe;

import java.util.Locale;

/**
 * How an answer of the API port turned out, as {@code braid_answers_total} counts it. An answer served in full is
 * {@code complete}; a reduced one names its reduction (a recommendation's {@code partial} or {@code degraded} value, a
 * search's degraded tier); a refusal says whose it was: {@code rate_limited} (the caller's quota), {@code shed} (this
 * replica's concurrency bound, or it is shutting down), {@code client_error} (any other 4xx), {@code error} (5xx).
 */
public enum AnswerOutcome {
    COMPLETE, PARTIAL, COLD_START, STALE, DEFAULT_RANKING, SIMPLIFIED, CACHED, RATE_LIMITED, SHED, CLIENT_ERROR, ERROR;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    /** The outcome of an answer no handler described, read from its status alone. */
    public static AnswerOutcome ofStatus(int status) {
        if (status == 429) {
            return RATE_LIMITED;
        }
        if (status >= 500) {
            return ERROR;
        }
        return status >= 400 ? CLIENT_ERROR : COMPLETE;
    }

    /** The outcome a reduction's wire name stands for ({@code partial}, {@code stale}, {@code simplified}, ...). */
    public static AnswerOutcome ofWireName(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
