package dev.braid.opensearch;

/**
 * An OpenSearch call failed; {@link #kind()} says how, in terms every caller can map onto its own outcomes.
 */
public final class OpenSearchFailure extends RuntimeException {
    /** How a call failed. */
    public enum Kind {
        /** No answer within the time given (client side), or the call was abandoned. */
        TIMEOUT,
        /** Unreachable, connection reset or a 5xx: asking again may help. */
        TRANSIENT,
        /** 429: the cluster is shedding load. */
        THROTTLED,
        /** A 4xx other than 429: the request itself is wrong, or names something that is gone (404). */
        REJECTED,
        /** Anything else, e.g. an answer that cannot be read. */
        ERROR
    }

    private final Kind kind;
    private final int status;

    public OpenSearchFailure(Kind kind, int status, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status OpenSearch answered with, or 0 when it did not answer. */
    public int status() {
        return status;
    }

    /** Whether asking again may help: network trouble, a 5xx or throttling. */
    public boolean retryable() {
        return kind == Kind.TRANSIENT || kind == Kind.THROTTLED;
    }
}
