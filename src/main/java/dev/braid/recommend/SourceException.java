package dev.braid.recommend;

import java.time.Duration;
import java.util.Optional;

/**
 * A source could not answer; {@link #status()} says how, in the envelope's terms. {@link #retryable()} says whether
 * asking again could help (a refused connection, a 5xx, a throttled call), never for other 4xx answers or bodies that
 * do not parse; {@link #retryAfter()} is the downstream's own word on when to ask again.
 */
public final class SourceException extends RuntimeException {
    private final SourceStatus status;
    private final boolean retryable;
    private final Duration retryAfter;

    private SourceException(SourceStatus status, boolean retryable, Duration retryAfter, String message, Throwable cause) {
        super(message, cause);
        if (status == SourceStatus.OK || status == SourceStatus.SKIPPED) {
            throw new IllegalArgumentException("a failure cannot have status " + status);
        }
        this.status = status;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    /** A failure that asking again will not fix. */
    public SourceException(SourceStatus status, String message, Throwable cause) {
        this(status, false, null, message, cause);
    }

    public SourceException(SourceStatus status, String message) {
        this(status, false, null, message, null);
    }

    /** A failure that may pass: a refused or reset connection, a 5xx. */
    public static SourceException transientError(String message, Throwable cause) {
        return new SourceException(SourceStatus.ERROR, true, null, message, cause);
    }

    /** The downstream throttled us (HTTP 429, Personalize's ThrottlingException); {@code retryAfter} may be null. */
    public static SourceException throttled(String message, Duration retryAfter, Throwable cause) {
        return new SourceException(SourceStatus.RATE_LIMITED, true, retryAfter, message, cause);
    }

    public SourceStatus status() {
        return status;
    }

    public boolean retryable() {
        return retryable;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
